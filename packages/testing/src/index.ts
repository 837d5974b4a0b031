export * from './wait-for.js';
export * from './postgres.js';
export * from './processes.js';
export * from './documents.js';
export * from './random.js';
export * from './smtp-capture.js';

export * from './wait-for.js';
export * from './postgres.js';

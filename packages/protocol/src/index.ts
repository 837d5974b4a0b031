export * from './close-codes.js';
export * from './document-id.js';
export * from './stateless.js';
export * from './origins.js';

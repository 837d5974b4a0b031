export * from './close-codes.js';
export * from './document-id.js';
export * from './stateless.js';
export * from './origins.js';
export * from './api/documents.js';
export * from './api/ai.js';
export * from './external-updates.js';
export * from './api/files.js';

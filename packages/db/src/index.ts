export * from './database.js';
export * from './open-database.js';
export * from './migrations.js';
export * from './document-store.js';
export * from './errors.js';

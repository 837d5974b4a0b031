export * from './config.js';
export * from './errors.js';
export * from './image-type.js';
export * from './storage.js';
export * from './file-service.js';
export * from './routes.js';
export * from './service.js';
export * from './open-access.js';

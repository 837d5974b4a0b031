export * from './roles.js';
export * from './identity.js';
export * from './middleware.js';

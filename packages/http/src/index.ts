export * from './http-server.js';
export * from './shutdown.js';

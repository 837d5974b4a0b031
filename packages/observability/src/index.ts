export * from './logger.js';
export * from './metrics.js';
export * from './ops-routes.js';
export * from './console-bridge.js';

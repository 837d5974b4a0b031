export * from './config.js';
export * from './sync-node.js';
export * from './metrics.js';
export * from './origins.js';
export * from './extensions/authentication.js';
export { PersistenceExtension } from './extensions/persistence.js';
export { UpdateLogWriter } from './storage/update-log-writer.js';
export { inspectFrame } from './transport/frame-guard.js';
export * from './extensions/external-updates.js';

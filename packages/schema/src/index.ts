export * from './extensions.js';
export * from './errors.js';
export * from './yjs-content.js';
export * from './export.js';

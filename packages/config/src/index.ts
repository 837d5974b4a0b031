export * from './parse-env.js';
export * from './common.js';

export * from './args.js';
export * from './run.js';
export * from './latency.js';
export * from './markers.js';
export * from './tokens.js';

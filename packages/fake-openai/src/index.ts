export * from './server.js';
export * from './scenario.js';
export { generateTokens, estimateTokens, DEFAULT_TOKENS } from './text.js';

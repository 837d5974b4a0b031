export * from './server.js';
export * from './scenario.js';
export { generateText, generateTokens, estimateTokens, readTask, topicsOf, type FakeTask, type RewriteStyle } from './text.js';

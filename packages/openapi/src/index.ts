export * from './types.js';
export * from './fragment.js';
export * from './schemas.js';
export * from './build-document.js';
export * from './coverage.js';
export * from './routes.js';
export * from './ops-fragment.js';
export { renderReferencePage } from './reference-page.js';
export * from './api-document.js';

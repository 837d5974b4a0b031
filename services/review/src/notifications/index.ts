export * from './migrations.js';
export * from './store.js';
export * from './sink.js';
export * from './mailer.js';
export * from './delivery-loop.js';
export * from './routes.js';

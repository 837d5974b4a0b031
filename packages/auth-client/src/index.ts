export * from './roles.js';
export * from './identity.js';
export * from './middleware.js';
export * from './tokens.js';
export * from './jwks-verifier.js';
export * from './postgres-role-lookup.js';
export * from './access-events.js';
// `createAccessEventBus` (Redis or in-process) is `@copycloud/auth-client/access-event-bus`:
// only processes that push or receive access changes load a Redis client.

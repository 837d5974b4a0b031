export * from './roles.js';
export * from './identity.js';
export * from './middleware.js';
export * from './tokens.js';
export * from './jwks-verifier.js';
export * from './postgres-role-lookup.js';
export * from './access-events.js';
export * from './access-event-bus-redis.js';

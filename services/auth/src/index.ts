export * from './auth-service.js';
export * from './config.js';
export * from './migrations.js';
export * from './errors.js';
export { OWASP_SCRYPT_PARAMS, hashPassword, verifyPassword, type ScryptParams } from './passwords.js';
export { SigningKeys, RETIRED_KEY_GRACE_MS } from './signing-keys.js';
export { TokenIssuer, ACCESS_TOKEN_TTL_SECONDS, DOCUMENT_TOKEN_TTL_SECONDS } from './token-issuer.js';

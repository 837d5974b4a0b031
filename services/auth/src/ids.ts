import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe id with a readable prefix (`u_…`, `sl_…`). 96 bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** A bearer secret (refresh token, share link token). 256 bits. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored hashed: sha256 is enough for 256-bit random values. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

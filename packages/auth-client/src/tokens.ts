import type { Role } from './roles.js';

/** `aud` of access tokens (HTTP APIs). */
export const ACCESS_TOKEN_AUDIENCE = 'copycloud';
/** `aud` of document tokens (sync nodes). A token for one audience never passes as the other. */
export const DOCUMENT_TOKEN_AUDIENCE = 'copycloud-sync';
/** Upper bound on any token's lifetime (DESIGN.md: exp ≤ 15 min). */
export const MAX_TOKEN_TTL_SECONDS = 15 * 60;
/** The only signature algorithms accepted; `none` and HMAC can never verify. */
export const TOKEN_ALGORITHMS = ['EdDSA', 'ES256'] as const;
/** Clock skew tolerated between the signer and a verifier. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** What a verified document token says (DESIGN.md, Tokens). */
export interface DocumentTokenClaims {
  userId: string;
  documentId: string;
  role: Role;
  name: string;
  color: string;
  /** Seconds since the epoch, as signed. */
  issuedAt: number;
  expiresAt: number;
}

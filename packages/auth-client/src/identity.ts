import type { Role } from './roles.js';

/** Who made an HTTP request, from a verified access token. */
export interface RequestIdentity {
  userId: string;
  name: string;
  color: string;
  /** Guest accounts can be upgraded to full accounts. */
  guest?: boolean;
}

export type AuthErrorCode = 'missing_token' | 'invalid_token' | 'expired_token' | 'forbidden' | 'not_found';

/** An authentication or authorization failure, with the HTTP status it maps to. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly status: 401 | 403 | 404 = code === 'forbidden' ? 403 : code === 'not_found' ? 404 : 401,
  ) {
    super(message);
  }
}

/** Verifies an access token (JWT, `aud: copycloud`) and returns who it names. Throws AuthError. */
export interface AccessTokenVerifier {
  verifyAccessToken(token: string): Promise<RequestIdentity>;
}

/** Looks up a user's role on a document (sidecars may ask Postgres; sync nodes never do). */
export interface DocumentRoleLookup {
  roleOf(documentId: string, userId: string): Promise<Role | null>;
}

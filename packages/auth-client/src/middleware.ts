import type { Context, MiddlewareHandler } from 'hono';
import { AuthError, type AccessTokenVerifier, type DocumentRoleLookup, type RequestIdentity } from './identity.js';
import { roleAtLeast, type Role } from './roles.js';

export type AuthVariables = { identity: RequestIdentity };

/** Reads `Authorization: Bearer <jwt>`, verifies it, and sets `c.var.identity`; 401 otherwise. */
export function requireUser(verifier: AccessTokenVerifier): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    try {
      if (!match) throw new AuthError('missing_token', 'an access token is required (Authorization: Bearer …)');
      c.set('identity', await verifier.verifyAccessToken(match[1]!));
    } catch (error) {
      return authErrorResponse(c, error);
    }
    await next();
  };
}

/**
 * Checks the caller's role on the document named by `documentId(c)`. An
 * unknown document and a document the caller has no role on both answer 404,
 * so ids cannot be probed.
 */
export async function assertDocumentRole(
  roles: DocumentRoleLookup,
  documentId: string,
  identity: RequestIdentity,
  required: Role,
): Promise<Role> {
  const role = await roles.roleOf(documentId, identity.userId);
  if (role === null) throw new AuthError('not_found', `document ${documentId} not found`);
  if (!roleAtLeast(role, required)) throw new AuthError('forbidden', `requires role ${required} on this document, you are ${role}`);
  return role;
}

export function authErrorResponse(c: Context, error: unknown): Response {
  if (error instanceof AuthError) return c.json({ error: error.code, message: error.message }, error.status);
  throw error;
}

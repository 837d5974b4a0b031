import { createHash } from 'node:crypto';
import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import type { Database } from '@copycloud/db';

/**
 * Development only, for AUTH_DISABLED=true (the launcher logs it loudly):
 * any bearer token is accepted as an anonymous user derived from the token,
 * so each browser's quota and rate limit stay its own.
 */
export function openAccessVerifier(): AccessTokenVerifier {
  return {
    async verifyAccessToken(token) {
      const id = createHash('sha256').update(token).digest('hex').slice(0, 16);
      return { userId: `dev-${id}`, name: 'Developer', color: '#888888', guest: true };
    },
  };
}

/** Development only: everyone is an editor of every existing document. */
export function openRoleLookup(db: Database): DocumentRoleLookup {
  return {
    async roleOf(documentId) {
      const { rows } = await db.query('SELECT 1 FROM documents WHERE id = $1', [documentId]);
      return rows.length === 1 ? 'editor' : null;
    },
  };
}

import type { AccessTokenVerifier, DocumentRoleLookup, RequestIdentity } from '@copycloud/auth-client';
import type { DocumentStore } from '@copycloud/db';

/**
 * For AUTH_DISABLED=true only (development, and `npm start` until auth is
 * mounted): any bearer token names one anonymous user, who is owner of every
 * existing document. Callers log loudly when they use this.
 */
export const openAccessVerifier: AccessTokenVerifier = {
  async verifyAccessToken(): Promise<RequestIdentity> {
    return { userId: 'anonymous', name: 'Anonymous', color: '#888888' };
  },
};

export function openAccessRoles(store: DocumentStore): DocumentRoleLookup {
  return {
    async roleOf(documentId) {
      return (await store.exists(documentId)) ? 'owner' : null;
    },
  };
}

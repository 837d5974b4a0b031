import type { DocumentRoleLookup, Role } from '@copycloud/auth-client';

/** Whether a document exists (DocumentStore.exists). */
export interface DocumentExistence {
  exists(documentId: string): Promise<boolean>;
}

/**
 * Roles under AUTH_DISABLED=true (development, `npm start`, e2e). The sync
 * node then lets every connection edit every document, so the editor opens a
 * document for anyone who has its link, member or not; its images must load
 * for them too, or a second browser sees the text but broken images. A
 * member keeps their role (the page shows a viewer as read-only); anyone
 * else signed in is an editor of a document that exists, like on the node.
 * An unknown document stays 404.
 */
export function openAccessRoles(members: DocumentRoleLookup, documents: DocumentExistence): DocumentRoleLookup {
  return {
    async roleOf(documentId: string, userId: string): Promise<Role | null> {
      const role = await members.roleOf(documentId, userId);
      if (role !== null) return role;
      return (await documents.exists(documentId)) ? 'editor' : null;
    },
  };
}

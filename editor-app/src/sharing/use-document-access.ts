import { useEffect, useState } from 'react';
import { getDocument, isReadOnlyRole, type DocumentRole } from '../documents/documents-api.js';
import { AuthRequestError, type AuthSession } from '../session/auth-session.js';
import type { DocumentAccess } from '../sync/connection-status.js';

/** What the auth API says about the caller and this document. */
export type MembershipState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'member'; readonly role: DocumentRole }
  /** 404: not a member (or no such document — the API does not tell them apart). */
  | { readonly kind: 'not-member' }
  /** No API answer (offline, no session): open local-first and let the sync node decide. */
  | { readonly kind: 'unknown' };

export function useMembership(session: AuthSession | undefined, documentId: string): MembershipState {
  const [state, setState] = useState<MembershipState>(() => (session ? { kind: 'checking' } : { kind: 'unknown' }));
  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    getDocument(session, documentId).then(
      (document) => !cancelled && setState({ kind: 'member', role: document.role }),
      (error: unknown) => {
        if (cancelled) return;
        setState(error instanceof AuthRequestError && (error.status === 404 || error.status === 403) ? { kind: 'not-member' } : { kind: 'unknown' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [session, documentId]);
  return state;
}

/** What the document page shows, from the API's answer and the sync node's. */
export type AccessView =
  | { readonly view: 'checking' }
  /** Never had access here: the "no access" page. */
  | { readonly view: 'no-access' }
  | {
      readonly view: 'open';
      readonly role: DocumentRole | null;
      /** Viewer/commenter, or access lost while open: the editor does not take input. */
      readonly readOnly: boolean;
      /** The node closed the document for us (removed, link revoked, document deleted). */
      readonly lostAccess: boolean;
    };

/**
 * Not a member per the API: wait for the node. It refuses (→ no access page)
 * unless it runs with AUTH_DISABLED=true, where everyone may edit.
 */
export function accessViewOf(membership: MembershipState, nodeAccess: DocumentAccess): AccessView {
  switch (membership.kind) {
    case 'checking':
      return { view: 'checking' };
    case 'not-member':
      if (nodeAccess === 'denied') return { view: 'no-access' };
      if (nodeAccess === 'unknown') return { view: 'checking' };
      return { view: 'open', role: null, readOnly: false, lostAccess: false };
    case 'member':
    case 'unknown': {
      const role = membership.kind === 'member' ? membership.role : null;
      const lostAccess = nodeAccess === 'denied';
      return { view: 'open', role, readOnly: lostAccess || (role !== null && isReadOnlyRole(role)), lostAccess };
    }
    default: {
      const unreachable: never = membership;
      throw new Error(`unknown membership ${JSON.stringify(unreachable)}`);
    }
  }
}

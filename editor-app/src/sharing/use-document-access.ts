import { useEffect, useState } from 'react';
import type { DocumentSummary } from '@copycloud/protocol';
import type { DocumentSummaryCache } from '../documents/document-cache.js';
import { getDocument, isReadOnlyRole, type DocumentRole } from '../documents/documents-api.js';
import { AuthRequestError, type AuthSession } from '../session/auth-session.js';
import type { SyncStatusSnapshot } from '../sync/sync-status-store.js';

/** What the auth API says about the caller and this document. */
export type MembershipState =
  | { readonly kind: 'checking' }
  /** `summary` is the API's answer, or (cached: true) the last one this browser saw, while offline. */
  | { readonly kind: 'member'; readonly role: DocumentRole; readonly summary?: DocumentSummary; readonly cached?: boolean }
  /** 404: not a member (or no such document — the API does not tell them apart). */
  | { readonly kind: 'not-member' }
  /** No API answer (offline, no session) and nothing cached: open local-first and let the sync node decide. */
  | { readonly kind: 'unknown' };

/**
 * The caller's membership, from the API, or from the cache while the API
 * cannot be reached; asked again whenever the browser comes back online.
 */
export function useMembership(session: AuthSession | undefined, documentId: string, cache?: DocumentSummaryCache): MembershipState {
  const [state, setState] = useState<MembershipState>(() => (session ? { kind: 'checking' } : { kind: 'unknown' }));
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const onOnline = () => setAttempt((n) => n + 1);
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is not read; bumping it (the browser came back online) fetches again
  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    getDocument(session, documentId).then(
      (document) => {
        if (cancelled) return;
        cache?.set(document);
        setState({ kind: 'member', role: document.role, summary: document });
      },
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof AuthRequestError && (error.status === 404 || error.status === 403)) {
          cache?.forget(documentId);
          setState({ kind: 'not-member' });
          return;
        }
        const cached = cache?.get(documentId);
        // Keep a fresh answer we already have; otherwise fall back to the cache.
        setState((previous) =>
          previous.kind === 'member' ? previous : cached ? { kind: 'member', role: cached.role, summary: cached, cached: true } : { kind: 'unknown' },
        );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [session, documentId, cache, attempt]);
  return state;
}

/** What the sync node told this page (see connection-status.ts). */
export type NodeView = Pick<SyncStatusSnapshot, 'access' | 'liveRole' | 'deleted'>;

/** What the document page shows, from the API's answer and the sync node's. */
export type AccessView =
  | { readonly view: 'checking' }
  /** Never had access here: the "no access" page. */
  | { readonly view: 'no-access' }
  | {
      readonly view: 'open';
      readonly role: DocumentRole | null;
      /** Viewer/commenter, demoted, deleted, or access lost while open: the editor does not take input. */
      readonly readOnly: boolean;
      /** The node closed the document for us (removed, link revoked). */
      readonly lostAccess: boolean;
      /** The node made us read-only while the page was open (a role change). */
      readonly demoted: boolean;
      /** The owner deleted the document while it was open. */
      readonly deleted: boolean;
    };

/**
 * Not a member per the API: wait for the node. It refuses (→ no access page)
 * unless it runs with AUTH_DISABLED=true, where everyone may edit. A role the
 * node pushed while the page is open wins over the API's earlier answer.
 */
export function accessViewOf(membership: MembershipState, node: NodeView): AccessView {
  const deleted = node.deleted;
  switch (membership.kind) {
    case 'checking':
      return deleted ? open(null, node) : { view: 'checking' };
    case 'not-member':
      if (deleted) return open(null, node);
      if (node.access === 'denied') return { view: 'no-access' };
      if (node.access === 'unknown') return { view: 'checking' };
      return open(null, node);
    case 'member':
    case 'unknown':
      return open(membership.kind === 'member' ? membership.role : null, node);
    default: {
      const unreachable: never = membership;
      throw new Error(`unknown membership ${JSON.stringify(unreachable)}`);
    }
  }
}

function open(apiRole: DocumentRole | null, node: NodeView): AccessView {
  const role = node.liveRole ?? apiRole;
  const lostAccess = node.access === 'denied' && !node.deleted;
  const demoted = node.liveRole !== null && isReadOnlyRole(node.liveRole);
  const readOnly = node.deleted || lostAccess || (role !== null && isReadOnlyRole(role));
  return { view: 'open', role, readOnly, lostAccess, demoted, deleted: node.deleted };
}

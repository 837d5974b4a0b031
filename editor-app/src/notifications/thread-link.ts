import { useSyncExternalStore } from 'react';
import { documentPath } from '../routes/route.js';
import { navigate } from '../routes/history.js';

/**
 * A link to one comment thread: the document's path with `#thread=<id>` (so
 * it survives a reload and can be shared). The comments panel selects and
 * shows the thread named there, then clears the fragment, so opening the same
 * link again selects it again.
 */
const THREAD_FRAGMENT = /^#thread=([A-Za-z0-9_-]{1,64})$/;

export function threadLink(documentId: string, threadId: string): string {
  return `${documentPath(documentId)}#thread=${encodeURIComponent(threadId)}`;
}

export function threadIdFromHash(hash: string): string | null {
  return THREAD_FRAGMENT.exec(hash)?.[1] ?? null;
}

/** Opens the document at the thread: a new page for another document, the fragment alone for this one. */
export function openThreadLink(documentId: string, threadId: string): void {
  const link = threadLink(documentId, threadId);
  if (window.location.pathname === documentPath(documentId)) window.location.hash = `thread=${encodeURIComponent(threadId)}`;
  else navigate(link);
}

/** Removes the fragment without a history entry or a navigation. */
export function clearThreadLink(): void {
  if (threadIdFromHash(window.location.hash) === null) return;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

/** The thread the address points at, if any (follows hash changes and navigation). */
export function useLinkedThread(): string | null {
  return useSyncExternalStore(subscribe, () => threadIdFromHash(window.location.hash));
}

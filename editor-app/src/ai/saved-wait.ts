import type { SyncStatusSnapshot } from '../sync/sync-status-store.js';

interface StatusSource {
  getSnapshot(): SyncStatusSnapshot;
  subscribe(listener: () => void): () => void;
}

/**
 * Resolves once the sync node has acknowledged every local edit as stored
 * ("saved", nothing pending), or after `timeoutMs` (offline: the request
 * goes anyway and the server says what it cannot resolve). Rejects with the
 * signal's reason when aborted.
 */
export function whenSaved(source: StatusSource, signal: AbortSignal, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = () => {
      const snapshot = source.getSnapshot();
      if (snapshot.status === 'saved' && snapshot.pendingChanges === 0) finish();
    };
    const onAbort = () => finish(signal.reason ?? new DOMException('aborted', 'AbortError'));
    const timer = setTimeout(() => finish(), timeoutMs);
    const unsubscribe = source.subscribe(check);
    signal.addEventListener('abort', onAbort, { once: true });
    check();
  });
}

import { useEffect, useSyncExternalStore } from 'react';
import type { SyncStatusSnapshot, SyncStatusStore } from './sync-status-store.js';

export function useSyncStatus(store: SyncStatusStore): SyncStatusSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/**
 * Asks the browser to confirm closing the tab while some of my changes are
 * not durable yet. They are safe in IndexedDB, but nobody else sees them until
 * this browser comes back, and that may be never.
 */
export function useWarnBeforeUnload(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ''; // still required by some browsers to show the dialog
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);
}

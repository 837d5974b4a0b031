import {
  type DocumentAccess,
  initialConnectionContext,
  reduceConnection,
  syncStatusOf,
  type ConnectionContext,
  type ConnectionEvent,
  type SyncStatus,
} from './connection-status.js';

export interface SyncStatusSnapshot {
  readonly status: SyncStatus;
  readonly pendingChanges: number;
  readonly storageError: string | null;
  readonly access: DocumentAccess;
}

/**
 * Holds the connection state machine for one document and lets React read it
 * with useSyncExternalStore. Snapshots are replaced only when something the
 * UI shows changed, so unrelated events cause no re-render.
 */
export class SyncStatusStore {
  private context: ConnectionContext = initialConnectionContext;
  private snapshot: SyncStatusSnapshot = snapshotOf(initialConnectionContext);
  private readonly listeners = new Set<() => void>();

  dispatch(event: ConnectionEvent): void {
    this.context = reduceConnection(this.context, event);
    const next = snapshotOf(this.context);
    if (
      next.status === this.snapshot.status &&
      next.pendingChanges === this.snapshot.pendingChanges &&
      next.storageError === this.snapshot.storageError &&
      next.access === this.snapshot.access
    ) {
      return;
    }
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SyncStatusSnapshot => this.snapshot;
}

function snapshotOf(context: ConnectionContext): SyncStatusSnapshot {
  return { status: syncStatusOf(context), pendingChanges: context.pendingChanges, storageError: context.storageError, access: context.access };
}

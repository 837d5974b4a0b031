import type { Role } from '@copycloud/protocol';
import {
  type DocumentAccess,
  isReadOnlyRole,
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
  /** The role the node pushed while the page was open; null = none pushed (the API's role applies). */
  readonly liveRole: Role | null;
  readonly deleted: boolean;
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
      next.access === this.snapshot.access &&
      next.liveRole === this.snapshot.liveRole &&
      next.deleted === this.snapshot.deleted
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

  /** The node made this connection read-only while it was open. */
  get readOnlyByNode(): boolean {
    return this.context.liveRole !== null && isReadOnlyRole(this.context.liveRole);
  }
}

function snapshotOf(context: ConnectionContext): SyncStatusSnapshot {
  return {
    status: syncStatusOf(context),
    pendingChanges: context.pendingChanges,
    storageError: context.storageError,
    access: context.access,
    liveRole: context.liveRole,
    deleted: context.deleted,
  };
}

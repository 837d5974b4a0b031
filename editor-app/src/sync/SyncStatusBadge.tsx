import { assertNever, type SyncStatus } from './connection-status.js';
import type { SyncStatusSnapshot } from './sync-status-store.js';

interface StatusPresentation {
  readonly label: string;
  readonly hint: string;
}

export function presentSyncStatus(status: SyncStatus): StatusPresentation {
  switch (status) {
    case 'offline':
      return { label: 'Offline', hint: 'Your changes are kept in this browser and sync when you are back online.' };
    case 'connecting':
      return { label: 'Connecting…', hint: 'Reaching the sync server.' };
    case 'syncing':
      return { label: 'Saving…', hint: 'Sending your changes to the server.' };
    case 'saved':
      return { label: 'Saved', hint: 'All your changes are stored on the server.' };
    case 'not-saved':
      return { label: 'Not saved', hint: 'The server is not storing your changes (a storage problem, or you can no longer edit); they are kept in this browser.' };
    case 'read-only':
      return { label: 'View only', hint: 'You can read along live but not edit.' };
    case 'no-access':
      return { label: 'No access', hint: 'You do not have access to this document any more; ask its owner for an invite link.' };
    case 'deleted':
      return { label: 'Deleted', hint: 'The owner deleted this document; nothing here is saved any more.' };
    default:
      return assertNever(status);
  }
}

/** "1 unsaved change", "3 unsaved changes": a count a person reads, not characters. */
export function unsavedChangesLabel(count: number): string {
  return `${count} unsaved ${count === 1 ? 'change' : 'changes'}`;
}

export function SyncStatusBadge({ snapshot }: { snapshot: SyncStatusSnapshot }) {
  const { label, hint } = presentSyncStatus(snapshot.status);
  return (
    <div
      className={`sync-status sync-status--${snapshot.status}`}
      data-testid="sync-status"
      data-state={snapshot.status}
      title={snapshot.storageError ?? hint}
      role="status"
      aria-live="polite"
    >
      <span className="sync-status__dot" aria-hidden="true" />
      <span className="sync-status__label">{label}</span>
      <span
        className="sync-status__pending"
        data-testid="pending-count"
        data-count={snapshot.pendingChanges}
        hidden={snapshot.pendingChanges === 0}
        title="Your changes not yet stored on the server (a burst of typing is one change)"
      >
        {unsavedChangesLabel(snapshot.pendingChanges)}
      </span>
    </div>
  );
}

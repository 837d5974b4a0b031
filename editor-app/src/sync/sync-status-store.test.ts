import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncStatusStore } from './sync-status-store.js';

test('the status store notifies only when what the UI shows changes', () => {
  const store = new SyncStatusStore();
  let notified = 0;
  const unsubscribe = store.subscribe(() => notified++);

  store.dispatch({ type: 'socket-changed', socket: 'connected' });
  assert.equal(store.getSnapshot().status, 'syncing');
  assert.equal(notified, 1);

  const before = store.getSnapshot();
  store.dispatch({ type: 'pending-changed', pendingChanges: 0 });
  assert.equal(notified, 1, 'same status, same count: no re-render');
  assert.equal(store.getSnapshot(), before, 'snapshot identity is stable for useSyncExternalStore');

  store.dispatch({ type: 'initial-sync-done' });
  assert.deepEqual(store.getSnapshot(), { status: 'saved', pendingChanges: 0, storageError: null, access: 'unknown', liveRole: null, deleted: false });
  assert.equal(notified, 2);

  unsubscribe();
  store.dispatch({ type: 'socket-changed', socket: 'disconnected' });
  assert.equal(notified, 2);
});

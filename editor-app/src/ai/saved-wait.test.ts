import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncStatusStore } from '../sync/sync-status-store.js';
import { whenSaved } from './saved-wait.js';

function connectedStore(pending: number): SyncStatusStore {
  const store = new SyncStatusStore();
  store.dispatch({ type: 'socket-changed', socket: 'connected' });
  store.dispatch({ type: 'initial-sync-done' });
  store.dispatch({ type: 'pending-changed', pendingChanges: pending });
  return store;
}

test('resolves at once when everything is saved', async () => {
  await whenSaved(connectedStore(0), new AbortController().signal, 60_000);
});

test('waits for the durable ack of pending edits', async () => {
  const store = connectedStore(2);
  let resolved = false;
  const waiting = whenSaved(store, new AbortController().signal, 60_000).then(() => (resolved = true));
  await Promise.resolve();
  assert.equal(resolved, false);
  store.dispatch({ type: 'durable-ack', pendingChanges: 0 });
  await waiting;
  assert.equal(resolved, true);
});

test('rejects with the abort reason', async () => {
  const controller = new AbortController();
  const waiting = whenSaved(connectedStore(1), controller.signal, 60_000);
  const reason = new Error('dismissed');
  controller.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
});

test('gives up waiting after the timeout (offline) and lets the request go', async () => {
  const store = new SyncStatusStore();
  store.dispatch({ type: 'socket-changed', socket: 'disconnected' });
  await whenSaved(store, new AbortController().signal, 1);
});

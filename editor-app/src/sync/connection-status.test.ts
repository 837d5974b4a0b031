import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialConnectionContext,
  reduceConnection,
  syncStatusOf,
  type ConnectionContext,
  type ConnectionEvent,
} from './connection-status.js';

function run(events: ConnectionEvent[], from: ConnectionContext = initialConnectionContext): ConnectionContext {
  return events.reduce(reduceConnection, from);
}

const connectedAndSynced: ConnectionEvent[] = [
  { type: 'socket-changed', socket: 'connected' },
  { type: 'initial-sync-done' },
];

describe('connection status state machine', () => {
  test('starts connecting', () => {
    assert.equal(syncStatusOf(initialConnectionContext), 'connecting');
  });

  test('a socket that is down is offline, whatever else is known', () => {
    const context = run([...connectedAndSynced, { type: 'storage-error', message: 'db down' }, { type: 'socket-changed', socket: 'disconnected' }]);
    assert.equal(syncStatusOf(context), 'offline');
  });

  test('connected but not yet synced is syncing', () => {
    assert.equal(syncStatusOf(run([{ type: 'socket-changed', socket: 'connected' }])), 'syncing');
  });

  test('synced with nothing pending is saved', () => {
    assert.equal(syncStatusOf(run(connectedAndSynced)), 'saved');
  });

  test('pending changes keep it syncing until a durable ack brings pending to 0', () => {
    const editing = run([...connectedAndSynced, { type: 'pending-changed', pendingChanges: 3 }]);
    assert.equal(syncStatusOf(editing), 'syncing');
    assert.equal(editing.pendingChanges, 3);
    const acked = reduceConnection(editing, { type: 'durable-ack', pendingChanges: 0 });
    assert.equal(syncStatusOf(acked), 'saved');
  });

  test('a storage error shows not-saved until the next durable ack', () => {
    const failed = run([...connectedAndSynced, { type: 'storage-error', message: 'db down' }]);
    assert.equal(syncStatusOf(failed), 'not-saved');
    assert.equal(failed.storageError, 'db down');
    assert.equal(syncStatusOf(reduceConnection(failed, { type: 'pending-changed', pendingChanges: 0 })), 'not-saved');
    assert.equal(syncStatusOf(reduceConnection(failed, { type: 'durable-ack', pendingChanges: 0 })), 'saved');
  });

  test('a reconnect needs a new initial sync before it can be saved again', () => {
    const reconnected = run([
      ...connectedAndSynced,
      { type: 'socket-changed', socket: 'disconnected' },
      { type: 'socket-changed', socket: 'connecting' },
      { type: 'socket-changed', socket: 'connected' },
    ]);
    assert.equal(syncStatusOf(reconnected), 'syncing');
    assert.equal(syncStatusOf(reduceConnection(reconnected, { type: 'initial-sync-done' })), 'saved');
  });

  test('a repeated connected status does not forget the initial sync', () => {
    const context = run([...connectedAndSynced, { type: 'socket-changed', socket: 'connected' }]);
    assert.equal(syncStatusOf(context), 'saved');
  });

  test('a late initial-sync-done while disconnected is ignored', () => {
    const context = run([{ type: 'socket-changed', socket: 'disconnected' }, { type: 'initial-sync-done' }]);
    assert.equal(context.initialSyncDone, false);
    assert.equal(syncStatusOf(reduceConnection(context, { type: 'socket-changed', socket: 'connected' })), 'syncing');
  });

  test('a refused token or a live revocation shows no access, whatever the socket does', () => {
    const revoked = run([...connectedAndSynced, { type: 'access-granted' }, { type: 'access-denied' }]);
    assert.equal(syncStatusOf(revoked), 'no-access');
    assert.equal(syncStatusOf(reduceConnection(revoked, { type: 'socket-changed', socket: 'disconnected' })), 'no-access');
    assert.equal(syncStatusOf(reduceConnection(revoked, { type: 'initial-sync-done' })), 'no-access');
  });

  test('access granted again (a new invite, then a reconnect) syncs normally', () => {
    const context = run([
      { type: 'socket-changed', socket: 'connected' },
      { type: 'access-denied' },
      { type: 'socket-changed', socket: 'connected' },
      { type: 'access-granted' },
      { type: 'initial-sync-done' },
    ]);
    assert.equal(context.access, 'granted');
    assert.equal(syncStatusOf(context), 'saved');
  });
});

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

  test('EDIT1 a pushed demotion while typing: not-saved with the draft pending, never "Saving…"; promotion again syncs', () => {
    const typing = run([...connectedAndSynced, { type: 'access-granted', writable: true }, { type: 'pending-changed', pendingChanges: 2 }]);
    assert.equal(syncStatusOf(typing), 'syncing');
    const demoted = reduceConnection(typing, { type: 'role-changed', role: 'viewer' });
    assert.equal(syncStatusOf(demoted), 'not-saved');
    assert.equal(syncStatusOf(reduceConnection(demoted, { type: 'pending-changed', pendingChanges: 0 })), 'read-only');
    const promoted = reduceConnection(demoted, { type: 'role-changed', role: 'editor' });
    assert.equal(syncStatusOf(promoted), 'syncing');
    assert.equal(syncStatusOf(reduceConnection(promoted, { type: 'durable-ack', pendingChanges: 0 })), 'saved');
  });

  test('EDIT1 a reconnect that grants a writable scope drops a stale pushed read-only role', () => {
    const demoted = run([...connectedAndSynced, { type: 'role-changed', role: 'viewer' }]);
    assert.equal(demoted.liveRole, 'viewer');
    assert.equal(reduceConnection(demoted, { type: 'access-granted', writable: false }).liveRole, 'viewer');
    assert.equal(reduceConnection(demoted, { type: 'access-granted', writable: true }).liveRole, null);
  });

  test('EDIT5 the browser going offline, or a lost heartbeat on an open socket, shows offline at once', () => {
    const offline = run([...connectedAndSynced, { type: 'network-changed', network: 'offline' }]);
    assert.equal(syncStatusOf(offline), 'offline');
    assert.equal(syncStatusOf(reduceConnection(offline, { type: 'network-changed', network: 'online' })), 'saved');
    const silent = run([...connectedAndSynced, { type: 'heartbeat-lost' }]);
    assert.equal(syncStatusOf(silent), 'offline');
    assert.equal(syncStatusOf(reduceConnection(silent, { type: 'heartbeat-answered' })), 'saved');
    // A new socket starts a new heartbeat.
    const reconnected = run([{ type: 'socket-changed', socket: 'disconnected' }, { type: 'socket-changed', socket: 'connected' }, { type: 'initial-sync-done' }], silent);
    assert.equal(syncStatusOf(reconnected), 'saved');
    // A heartbeat verdict for a socket that is not connected means nothing.
    assert.equal(run([{ type: 'heartbeat-lost' }]).heartbeatLost, false);
  });

  test('EDIT6 a document deleted while open says deleted, not no access, even after the node closes it', () => {
    const deleted = run([...connectedAndSynced, { type: 'document-deleted' }, { type: 'access-denied' }]);
    assert.equal(syncStatusOf(deleted), 'deleted');
  });
});

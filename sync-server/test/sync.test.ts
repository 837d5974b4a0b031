import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { waitFor } from '@copycloud/testing';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import { connectClient, startInProcessNode, waitSynced, type InProcessNode } from './helpers.js';

describe('one sync node', () => {
  let server: InProcessNode;
  before(async () => {
    server = await startInProcessNode();
  });
  after(() => server.stop());

  test('SYNC1 two providers on one document converge', async () => {
    const alice = connectClient(server.syncUrl, 'converge');
    const bob = connectClient(server.syncUrl, 'converge');
    await Promise.all([waitSynced(alice), waitSynced(bob)]);
    alice.text.insert(0, 'hello ');
    bob.text.insert(0, 'world');
    for (let i = 0; i < 50; i++) (i % 2 ? alice : bob).text.insert(i % 7, String(i % 10));
    await waitFor(() => assert.equal(alice.text.toString(), bob.text.toString()));
    await waitFor(() =>
      assert.deepEqual(Y.encodeStateAsUpdate(alice.doc), Y.encodeStateAsUpdate(bob.doc)),
    );
    assert.equal(alice.text.length, 'hello world'.length + 50);
    alice.destroy();
    bob.destroy();
  });

  test('STORE1 updates reach the update log and the author gets a durable "saved" ack', async () => {
    const author = connectClient(server.syncUrl, 'durable');
    const acks: Uint8Array[] = [];
    author.provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = decodeServerStateless(payload);
      if (message?.type === 'saved') acks.push(fromBase64(message.sv));
    });
    await waitSynced(author);
    author.text.insert(0, 'persist me');
    const clock = Y.decodeStateVector(Y.encodeStateVector(author.doc)).get(author.doc.clientID)!;
    await waitFor(() => {
      const last = acks.at(-1);
      assert.ok(last, 'no saved ack yet');
      assert.ok((Y.decodeStateVector(last).get(author.doc.clientID) ?? 0) >= clock, 'ack does not cover the edit');
    });
    // The ack is only sent after commit: the log holds the edit now.
    const stored = await server.node.store.loadMerged('durable');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, stored!);
    assert.equal(copy.getText('t').toString(), 'persist me');
    author.destroy();
  });

  test('metrics and health endpoints answer', async () => {
    const health = await fetch(`${server.httpUrl}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${server.httpUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual((await ready.json()).checks, { database: 'ok' });
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    for (const name of [
      'copycloud_sync_connections',
      'copycloud_sync_documents_open',
      'copycloud_sync_messages_in_total',
      'copycloud_sync_messages_out_total',
      'copycloud_sync_update_bytes_in_total',
      'copycloud_sync_store_latency_seconds_bucket',
    ]) {
      assert.match(metrics, new RegExp(`^${name}`, 'm'), name);
    }
    assert.match(metrics, /copycloud_sync_messages_in_total\{service="sync"\} [1-9]/);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { waitFor } from '@copycloud/testing';
import { decodeExternalUpdate, encodeExternalUpdate } from '@copycloud/protocol';
import { applyExternalUpdate } from '../src/index.js';
import { connectClient, startInProcessNode, waitSynced, type InProcessNode } from './helpers.js';

describe('external updates (restores published for the nodes that hold a document)', () => {
  let server: InProcessNode;
  before(async () => {
    server = await startInProcessNode();
  });
  after(() => server.stop());

  test('malformed payloads are refused, valid ones round-trip', () => {
    const update = new Uint8Array([1, 2, 3]);
    assert.deepEqual(decodeExternalUpdate(encodeExternalUpdate({ documentId: 'doc-1', update, source: 'restore' })), { documentId: 'doc-1', update, source: 'restore' });
    for (const bad of ['nope', '{}', JSON.stringify({ v: 1, documentId: '../x', source: 'restore', update: 'AQ==' }), JSON.stringify({ v: 2, documentId: 'a', source: 'restore', update: 'AQ==' }), JSON.stringify({ v: 1, documentId: 'a', source: 'ai', update: 'AQ==' })]) {
      assert.equal(decodeExternalUpdate(bad), null, bad);
    }
  });

  test('STORE4 an external update reaches connected clients live and is stored with origin restore', async () => {
    const client = connectClient(server.syncUrl, 'external');
    await waitSynced(client);
    assert.equal(applyExternalUpdate(server.node.hocuspocus, { documentId: 'not-open-here', update: new Uint8Array([0, 0]), source: 'restore' }), false);
    const producer = new Y.Doc();
    producer.getText('t').insert(0, 'restored text');
    assert.equal(applyExternalUpdate(server.node.hocuspocus, { documentId: 'external', update: Y.encodeStateAsUpdate(producer), source: 'restore' }), true);
    await waitFor(() => assert.equal(client.text.toString(), 'restored text'));
    await server.node.writer.flush();
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await server.node.store.loadMerged('external'))!);
    assert.equal(stored.getText('t').toString(), 'restored text');
    client.destroy();
  });
});

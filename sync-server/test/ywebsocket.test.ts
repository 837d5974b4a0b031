import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { waitFor } from '@copycloud/testing';
import type { Database } from '@copycloud/db';
import { assertIdentical, hocuspocusClient, memoryDatabase, startClusterNode, tableAuthorizer, uniquePrefix, type ClusterNode } from './cluster-helpers.js';

function yClient(yjsUrl: string, documentName: string, options: { token?: string; protocols?: string[] } = {}) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(yjsUrl, documentName, doc, {
    ...(options.token ? { params: { token: options.token } } : {}),
    ...(options.protocols ? { protocols: options.protocols } : {}),
    disableBc: true, // same process: BroadcastChannel would bypass the server
  });
  const destroy = () => {
    provider.destroy();
    provider.awareness.destroy(); // its renewal interval would keep the test process alive
    doc.destroy();
  };
  return { doc, provider, text: doc.getText('t'), destroy };
}

describe('YWS /yjs/ID speaks plain y-websocket over the same documents', () => {
  let db: Database;
  let nodes: ClusterNode[];
  const prefix = uniquePrefix('yws');
  before(async () => {
    db = await memoryDatabase();
    nodes = [
      await startClusterNode({ db, prefix, nodeId: 'a', authorizer: tableAuthorizer }),
      await startClusterNode({ db, prefix, nodeId: 'b', authorizer: tableAuthorizer }),
    ];
    for (const id of ['mixed', 'readonly', 'protocol']) await nodes[0]!.node.store.ensureDocument(id);
  });
  after(async () => {
    for (const n of nodes) await n.stop();
    await db.close();
  });

  test('YWS1 a stock WebsocketProvider and a HocuspocusProvider on different nodes edit one document and converge', async () => {
    const y = yClient(nodes[0]!.yjsUrl, 'mixed', { token: 'editor-token' });
    const h = hocuspocusClient(nodes[1]!.syncUrl, 'mixed');
    try {
      await waitFor(() => y.provider.synced && h.provider.isSynced, { message: 'both synced' });
      y.text.insert(0, 'from y-websocket; ');
      h.text.insert(0, 'from hocuspocus; ');
      for (let i = 0; i < 50; i++) (i % 2 ? y : h).text.insert(i % 5, String(i % 10));
      await waitFor(() => {
        const serverDocs = nodes.map((n) => n.node.hocuspocus.documents.get('mixed')!);
        assertIdentical([y.doc, h.doc, ...serverDocs]);
      }, { timeoutMs: 20_000 });
      assert.equal(y.text.length, 'from y-websocket; '.length + 'from hocuspocus; '.length + 50);
      // Awareness both ways.
      y.provider.awareness.setLocalStateField('user', { name: 'Yan' });
      h.provider.setAwarenessField('user', { name: 'Hoc' });
      await waitFor(() => {
        const names = (states: Map<number, unknown>) => Array.from(states.values()).map((s) => (s as { user?: { name?: string } }).user?.name);
        assert.ok(names(h.provider.awareness!.getStates()).includes('Yan'));
        assert.ok(names(y.provider.awareness.getStates()).includes('Hoc'));
      });
      // Stored like any other edit: the update log has the y-websocket client's text.
      await waitFor(async () => {
        const copy = new Y.Doc();
        Y.applyUpdate(copy, (await nodes[0]!.node.store.loadMerged('mixed'))!);
        assert.equal(copy.getText('t').toString(), y.text.toString());
      });
    } finally {
      y.destroy();
      h.destroy();
    }
  });

  test('YWS2 a bad or missing token is refused before the upgrade', async () => {
    for (const url of [`${nodes[0]!.yjsUrl}/mixed?token=forged`, `${nodes[0]!.yjsUrl}/mixed`]) {
      const outcome = await new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
      assert.equal(outcome, 'refused', url.replace(/token=.*/, 'token=…'));
    }
    const metrics = await (await fetch(`${nodes[0]!.httpUrl}/metrics`)).text();
    assert.match(metrics, /copycloud_sync_sockets_rejected_total\{[^}]*reason="Unauthorized"[^}]*\} [1-9]/);
  });

  test('YWS3 a viewer on /yjs/ is read-only: its edits reach nobody', async () => {
    const viewer = yClient(nodes[0]!.yjsUrl, 'readonly', { token: 'viewer-token' });
    const editor = hocuspocusClient(nodes[1]!.syncUrl, 'readonly');
    try {
      await waitFor(() => viewer.provider.synced && editor.provider.isSynced);
      viewer.text.insert(0, 'viewer scribble ');
      editor.text.insert(0, 'editor text');
      await waitFor(() => assert.ok(viewer.text.toString().includes('editor text')));
      // The editor's text made it through both nodes; the viewer's never does.
      const serverDocs = nodes.map((n) => n.node.hocuspocus.documents.get('readonly')!);
      await waitFor(() => serverDocs.every((d) => d.getText('t').toString() === 'editor text'));
      assert.equal(editor.text.toString(), 'editor text');
    } finally {
      viewer.destroy();
      editor.destroy();
    }
  });

  test('YWS4 the token may come as a Sec-WebSocket-Protocol entry', async () => {
    const y = yClient(nodes[1]!.yjsUrl, 'protocol', { protocols: ['editor-token'] });
    const h = hocuspocusClient(nodes[0]!.syncUrl, 'protocol');
    try {
      await waitFor(() => y.provider.synced && h.provider.isSynced);
      y.text.insert(0, 'via subprotocol');
      await waitFor(() => assert.equal(h.text.toString(), 'via subprotocol'));
    } finally {
      y.destroy();
      h.destroy();
    }
  });
});

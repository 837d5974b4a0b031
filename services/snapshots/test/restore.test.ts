import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { DocumentStore, openDatabase, type Database } from '@copycloud/db';
import { DOCUMENT_FIELD, yDocToJSON, yStateToJSON } from '@copycloud/schema';
import type { SyncNodeConfig } from '@copycloud/sync-server';
import { createTestSchema, waitFor, type TestSchema } from '@copycloud/testing';
import { connectClient, startInProcessNode, waitSynced, type InProcessNode, type TestClient } from '../../../sync-server/test/helpers.js';
import { inProcessDelivery, redisDelivery, type RestoreDelivery } from '../src/index.js';
import { bearer, migrate, paragraphTexts, paragraphs, startService, TestRoles } from './helpers.js';

function appendParagraph(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

function setParagraphs(doc: Y.Doc, texts: string[]): void {
  doc.transact(() => {
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    fragment.delete(0, fragment.length);
    for (const text of texts) appendParagraph(doc, text);
  });
}

interface Setup {
  name: string;
  /** Databases for the node and the sidecar (separate pools on Postgres), plus the wiring of live delivery. */
  open(): Promise<{
    nodeDb: Database;
    sidecarDb: Database;
    /** How the node is configured (e.g. Redis), so it receives restores as it would in production. */
    nodeConfig?: Partial<SyncNodeConfig>;
    delivery: (node: InProcessNode, store: DocumentStore) => Promise<RestoreDelivery>;
    cleanup(): Promise<void>;
  }>;
}

const setups: Setup[] = [
  {
    name: 'all-in-one (in-process node, PGlite)',
    async open() {
      const db = await openDatabase({ dataDir: 'memory://' });
      await migrate(db);
      return { nodeDb: db, sidecarDb: db, delivery: async (node) => inProcessDelivery(node.node), cleanup: () => db.close() };
    },
  },
  {
    name: 'separate sidecar over Redis (Postgres)',
    async open() {
      const schema: TestSchema = await createTestSchema('restore');
      const nodeDb = await openDatabase({ url: schema.url, dataDir: '' });
      const sidecarDb = await openDatabase({ url: schema.url, dataDir: '' });
      await migrate(sidecarDb);
      const prefix = `test-restore-${randomBytes(4).toString('hex')}`;
      const publisher = new Redis('redis://127.0.0.1:6379');
      return {
        nodeDb,
        sidecarDb,
        // The node subscribes to external updates itself when it has Redis.
        nodeConfig: { redisUrl: 'redis://127.0.0.1:6379', redisPrefix: prefix },
        async delivery(_node, store) {
          return redisDelivery({ store, publisher, channelPrefix: prefix, originNode: 'snapshots-test' });
        },
        async cleanup() {
          publisher.disconnect();
          await nodeDb.close();
          await sidecarDb.close();
          await schema.drop();
        },
      };
    },
  },
];

for (const setup of setups) {
  describe(`restore: ${setup.name}`, () => {
    let node: InProcessNode;
    let cleanup: () => Promise<void>;
    let sidecarDb: Database;
    let delivery: RestoreDelivery;
    const roles = new TestRoles();
    const clients: TestClient[] = [];

    before(async () => {
      const opened = await setup.open();
      cleanup = opened.cleanup;
      sidecarDb = opened.sidecarDb;
      node = await startInProcessNode({ db: opened.nodeDb, ...(opened.nodeConfig ? { config: opened.nodeConfig } : {}) });
      delivery = await opened.delivery(node, new DocumentStore(sidecarDb));
    });
    after(async () => {
      for (const client of clients) client.destroy();
      await node.stop();
      await cleanup();
    });

    test('RESTORE1 restore while two others edit: everyone converges on the restored content plus later edits', async () => {
      const documentId = `restore-${randomBytes(4).toString('hex')}`;
      const { app, service } = startService(sidecarDb, { roles, delivery });
      roles.grant(documentId, 'carol', 'editor');
      const alice = connectClient(node.syncUrl, documentId);
      const bob = connectClient(node.syncUrl, documentId);
      clients.push(alice, bob);
      await Promise.all([waitSynced(alice), waitSynced(bob)]);

      setParagraphs(alice.doc, ['v1 intro', 'v1 body']);
      await waitFor(() => assert.deepEqual(paragraphTexts(bob.doc), ['v1 intro', 'v1 body']));
      await node.node.writer.flush();
      const named = await app.request(`/api/docs/${documentId}/versions`, {
        method: 'POST',
        headers: { ...bearer('carol'), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'v1' }),
      });
      assert.equal(named.status, 201);
      const { version } = (await named.json()) as { version: { id: string } };
      assert.deepEqual(yStateToJSON((await service.versions.get(documentId, version.id))!.state), paragraphs('v1 intro', 'v1 body'));

      setParagraphs(bob.doc, ['draft two']);
      await waitFor(() => assert.deepEqual(paragraphTexts(alice.doc), ['draft two']));
      await node.node.writer.flush();

      // Alice and Bob keep typing while Carol restores v1.
      let typing = true;
      let n = 0;
      const typist = (async () => {
        while (typing) {
          appendParagraph(n % 2 ? alice.doc : bob.doc, `race-${n++}`);
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const restored = await app.request(`/api/docs/${documentId}/versions/${version.id}/restore`, { method: 'POST', headers: bearer('carol') });
      typing = false;
      await typist;
      assert.equal(restored.status, 200);

      await waitFor(() => {
        for (const client of [alice, bob]) assert.ok(!paragraphTexts(client.doc).includes('draft two'), 'restore not received yet');
      });
      appendParagraph(alice.doc, 'after-alice');
      appendParagraph(bob.doc, 'after-bob');
      await waitFor(() => assert.deepEqual(Y.encodeStateAsUpdate(alice.doc), Y.encodeStateAsUpdate(bob.doc)), { timeoutMs: 15_000 });

      // Paragraphs typed concurrently with the restore are concurrent edits: they
      // survive and interleave by CRDT rules. Without them, the content is
      // exactly the restored version followed by the edits made after it.
      const texts = paragraphTexts(alice.doc);
      const withoutRace = texts.filter((text) => !/^race-\d+$/.test(text));
      assert.deepEqual(withoutRace.slice(0, 2), ['v1 intro', 'v1 body'], texts.join(' | '));
      assert.deepEqual([...withoutRace.slice(2)].sort(), ['after-alice', 'after-bob'], texts.join(' | '));
      assert.ok(!texts.includes('draft two'));

      // Postgres converges too, and the history names who restored what.
      await node.node.writer.flush();
      const stored = await new DocumentStore(sidecarDb).loadMerged(documentId);
      await waitFor(async () => assert.deepEqual(yStateToJSON((await new DocumentStore(sidecarDb).loadMerged(documentId))!), yDocToJSON(alice.doc)));
      assert.ok(stored);
      const [latest] = await service.versions.list(documentId);
      assert.equal(latest!.kind, 'restore');
      assert.equal(latest!.author?.userId, 'carol');
      assert.match(latest!.name ?? '', /Restored: v1/);
    });
  });
}

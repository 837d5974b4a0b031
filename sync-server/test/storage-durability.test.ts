import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { DocumentStore, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { createTestSchema, waitFor, type TestSchema } from '@copycloud/testing';
import { connectClient, spawnNode, startInProcessNode, waitSynced, type TestClient } from './helpers.js';
import { CuttableProxy, recordDurability, storedClock, throughProxy } from './storage-helpers.js';

const ownClock = (client: TestClient) => Y.decodeStateVector(Y.encodeStateVector(client.doc)).get(client.doc.clientID) ?? 0;

/** The scenario: Postgres unreachable this long in the middle of a session. */
const OUTAGE_MS = 10_000;

describe('storage durability on real Postgres', () => {
  let schema: TestSchema;
  let db: Database;
  let store: DocumentStore;

  before(async () => {
    schema = await createTestSchema('storage');
    db = await openDatabase({ url: schema.url, dataDir: '' });
    await runMigrations(db);
    store = new DocumentStore(db);
  });
  after(async () => {
    await db.close();
    await schema.drop();
  });

  test('STORE2 SIGKILL while clients type, authors gone: every update acknowledged as saved is in Postgres', async () => {
    const node = await spawnNode({ DATABASE_URL: schema.url, STORE_BATCH_MS: '5' });
    const documentId = `kill-${randomBytes(4).toString('hex')}`;
    const authors: TestClient[] = [connectClient(node.syncUrl, documentId), connectClient(node.syncUrl, documentId)];
    const logs = authors.map(recordDurability);
    await Promise.all(authors.map(waitSynced));

    let typing = true;
    const typists = authors.map(async (author, index) => {
      for (let i = 0; typing; i++) {
        author.text.insert(author.text.length, String.fromCharCode(97 + index) + (i % 10));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
    // Kill once both authors hold acknowledgements for a good part of their typing.
    await waitFor(() => logs.every((log) => log.ackedClock() > 40), { timeoutMs: 30_000, message: 'durable acks' });
    await node.stop('SIGKILL');
    const ackedAtKill = logs.map((log) => log.ackedClock());
    typing = false;
    await Promise.all(typists);
    // The authors' processes exit without reconnecting: nothing more reaches Postgres from them.
    for (const author of authors) author.destroy();

    const stored = await store.loadMerged(documentId);
    authors.forEach((author, index) => {
      assert.ok(ackedAtKill[index]! > 0);
      assert.ok(
        storedClock(stored, author.doc.clientID) >= ackedAtKill[index]!,
        `author ${index}: acked clock ${ackedAtKill[index]} but Postgres holds ${storedClock(stored, author.doc.clientID)}`,
      );
    });
  });

  test('STORE3 Postgres down for 10 s mid-session: editing continues, storage-error, backlog written on return, nothing lost', async () => {
    const target = new URL(schema.url);
    const proxy = await CuttableProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const nodeDb = await openDatabase({ url: throughProxy(schema.url, proxy.port), dataDir: '', maxConnections: 4 });
    const server = await startInProcessNode({ db: nodeDb });
    const documentId = `outage-${randomBytes(4).toString('hex')}`;
    const alice = connectClient(server.syncUrl, documentId);
    const bob = connectClient(server.syncUrl, documentId);
    const aliceLog = recordDurability(alice);
    try {
      await Promise.all([waitSynced(alice), waitSynced(bob)]);
      alice.text.insert(0, 'before ');
      await waitFor(() => assert.ok(aliceLog.ackedClock() >= alice.text.length));

      proxy.cut();
      const outageOver = new Promise<void>((resolve) => setTimeout(resolve, OUTAGE_MS)); // the scenario, not a sync point
      let typed = 0;
      while (!(await Promise.race([outageOver.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 50))]))) {
        (typed % 2 ? alice : bob).text.insert(0, typed % 2 ? 'a' : 'b');
        typed += 1;
      }
      // Editing went on: both saw each other's edits while storage was away.
      await waitFor(() => assert.equal(alice.text.toString(), bob.text.toString()));
      assert.ok(typed > 20, `typed ${typed} edits during the outage`);
      assert.ok(aliceLog.storageErrors() > 0, 'the author was told changes are not saved');
      assert.ok(server.node.writer.backlog > 0, 'updates wait in the backlog');

      proxy.restore();
      const finalClock = ownClock(alice);
      await waitFor(() => assert.ok(aliceLog.ackedClock() >= finalClock, 'saved ack after return'), { timeoutMs: 30_000 });
      await waitFor(() => assert.equal(server.node.writer.backlog, 0), { timeoutMs: 30_000 });

      // Read Postgres directly, not through the proxy.
      const stored = await store.loadMerged(documentId);
      for (const client of [alice, bob]) {
        assert.equal(storedClock(stored, client.doc.clientID), ownClock(client));
      }
    } finally {
      alice.destroy();
      bob.destroy();
      await server.stop();
      await nodeDb.close();
      await proxy.close();
    }
  });
});

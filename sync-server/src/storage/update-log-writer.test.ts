import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DocumentStore, openDatabase, runMigrations } from '@copycloud/db';
import { createLogger } from '@copycloud/observability';
import { UpdateLogWriter } from './update-log-writer.js';

test('STORE7 a commit writes one merged row per document, and the merge loses nothing', async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await runMigrations(db);
    const store = new DocumentStore(db);
    await store.ensureDocument('busy');
    await store.ensureDocument('quiet');
    const committed: number[] = [];
    const writer = new UpdateLogWriter({
      store,
      logger: createLogger({ name: 'test', level: 'silent' }),
      batchMs: 1_000, // everything below lands in one batch
      onCommitted: (batch) => committed.push(batch.updates),
    });
    const busy = new Y.Doc();
    const quiet = new Y.Doc();
    busy.on('update', (update: Uint8Array) => writer.enqueue({ documentId: 'busy', update, originNode: 'n1' }));
    quiet.on('update', (update: Uint8Array) => writer.enqueue({ documentId: 'quiet', update, originNode: 'n1' }));
    for (let i = 0; i < 300; i++) {
      const text = busy.getText('t');
      if (i % 7 === 6) text.delete(Math.floor(text.length / 2), 1);
      else text.insert(Math.floor(text.length / 3), String.fromCharCode(97 + (i % 26)));
    }
    quiet.getText('t').insert(0, 'one edit');
    await writer.flush();

    assert.deepEqual(committed, [301], 'one commit carried every update');
    assert.equal(await store.logLength('busy'), 1);
    assert.equal(await store.logLength('quiet'), 1);
    for (const [id, source] of [['busy', busy], ['quiet', quiet]] as const) {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, (await store.loadMerged(id))!);
      assert.equal(copy.getText('t').toString(), source.getText('t').toString(), id);
    }
    await writer.close();
    assert.equal(writer.enqueue({ documentId: 'busy', update: new Uint8Array([0, 0]), originNode: 'n1' }), false, 'refused, never thrown');
  } finally {
    await db.close();
  }
});

test('STORE12 a backlog of 140k updates through an outage: pressure on, then every update committed and flush resolves (no RangeError)', async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await runMigrations(db);
    const store = new DocumentStore(db);
    await store.ensureDocument('flood');
    let outage = true;
    const failing = Object.create(store) as DocumentStore;
    failing.append = async (rows, quarantined) => {
      if (outage) throw new Error('storage is away');
      return store.append(rows, quarantined);
    };
    const pressure: boolean[] = [];
    let committedUpdates = 0;
    const writer = new UpdateLogWriter({
      store: failing,
      logger: createLogger({ name: 'test', level: 'silent' }),
      batchMs: 1,
      maxBatchUpdates: 1_000_000,
      maxRetryDelayMs: 20,
      maxDocumentBacklog: 100_000,
      onPressure: (_id, overloaded) => pressure.push(overloaded),
      onCommitted: (batch) => (committedUpdates += batch.updates),
    });
    const author = new Y.Doc();
    author.on('update', (update: Uint8Array) => writer.enqueue({ documentId: 'flood', update, originNode: 'n1' }));
    const text = author.getText('t');
    for (let i = 0; i < 140_000; i++) text.insert(i, 'x');
    assert.deepEqual(pressure, [true], 'the document was put under backpressure');
    outage = false;
    await writer.flush();
    assert.equal(committedUpdates, 140_000);
    assert.deepEqual(pressure, [true, false], 'and released once committed');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, (await store.loadMerged('flood'))!);
    assert.equal(copy.getText('t').length, 140_000);
    await writer.close();
  } finally {
    await db.close();
  }
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { CorruptDocumentError, DocumentStore, openDatabase, runMigrations, type Database } from './index.js';

/**
 * One contract suite, run against every implementation of Database: the
 * embedded PGlite and the real Postgres server.
 */
const implementations: Array<{ name: string; open: () => Promise<{ db: Database; cleanup: () => Promise<void> }> }> = [
  {
    name: 'pglite',
    open: async () => {
      const db = await openDatabase({ dataDir: 'memory://' });
      return { db, cleanup: () => db.close() };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const schema: TestSchema = await createTestSchema('db');
      const db = await openDatabase({ url: schema.url, dataDir: '' });
      return {
        db,
        cleanup: async () => {
          await db.close();
          await schema.drop();
        },
      };
    },
  },
];

function textUpdate(doc: Y.Doc, fn: (text: Y.Text) => void): Uint8Array {
  let captured: Uint8Array | undefined;
  const listener = (update: Uint8Array) => (captured = update);
  doc.on('update', listener);
  fn(doc.getText('t'));
  doc.off('update', listener);
  if (!captured) throw new Error('no update produced');
  return captured;
}

for (const impl of implementations) {
  describe(`DocumentStore on ${impl.name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    let store: DocumentStore;

    before(async () => {
      ({ db, cleanup } = await impl.open());
      await runMigrations(db);
      store = new DocumentStore(db);
    });
    after(() => cleanup());

    test('migrations are idempotent', async () => {
      assert.deepEqual(await runMigrations(db), []);
    });

    test('unknown document loads as null; ensureDocument creates once', async () => {
      assert.equal(await store.load('nope'), null);
      assert.equal(await store.ensureDocument('d1'), true);
      assert.equal(await store.ensureDocument('d1'), false);
      assert.deepEqual(await store.load('d1'), { state: null, updates: [], logIds: [] });
    });

    test('appended updates load back, and replaying one twice changes nothing', async () => {
      await store.ensureDocument('d2');
      const author = new Y.Doc();
      const u1 = textUpdate(author, (t) => t.insert(0, 'hello'));
      const u2 = textUpdate(author, (t) => t.insert(5, ' world'));
      await store.append([
        { documentId: 'd2', update: u1, originNode: 'n1' },
        { documentId: 'd2', update: u2, originNode: 'n1' },
        { documentId: 'd2', update: u1, originNode: 'n2' },
      ]);
      const merged = await store.loadMerged('d2');
      const copy = new Y.Doc();
      Y.applyUpdate(copy, merged!);
      assert.equal(copy.getText('t').toString(), 'hello world');
    });

    test('an append marks its documents edited, in one statement or in a large multi-statement batch', async () => {
      await store.ensureDocument('t1');
      await store.ensureDocument('t2');
      await db.query("UPDATE documents SET updated_at = now() - interval '1 hour' WHERE id IN ('t1', 't2')");
      const author = new Y.Doc();
      const big = [];
      // Over one statement's worth of rows, with t2 only at the end of the batch.
      for (let i = 0; i < 600; i++) {
        big.push({ documentId: i < 599 ? 't1' : 't2', update: textUpdate(author, (t) => t.insert(t.length, 'y')), originNode: 'n' });
      }
      await store.append(big);
      const { rows } = await db.query<{ id: string; recent: boolean }>(
        "SELECT id, updated_at > now() - interval '1 minute' AS recent FROM documents WHERE id IN ('t1', 't2') ORDER BY id",
      );
      assert.deepEqual(rows.map((r) => [r.id, r.recent]), [['t1', true], ['t2', true]]);
      assert.equal((await store.logLength('t1')) + (await store.logLength('t2')), 600);
    });

    test('compaction folds the log into state and keeps the content', async () => {
      await store.ensureDocument('d3');
      const author = new Y.Doc();
      const batch = [];
      for (let i = 0; i < 200; i++) {
        batch.push({ documentId: 'd3', update: textUpdate(author, (t) => t.insert(t.length, `${i % 10}`)), originNode: 'n' });
      }
      batch.push({ documentId: 'd3', update: textUpdate(author, (t) => t.delete(0, 100)), originNode: 'n' });
      await store.append(batch);
      const result = await store.compact('d3');
      assert.equal(result.compactedRows, 201);
      assert.equal(await store.logLength('d3'), 0);
      const after1 = await store.loadMerged('d3');
      const copy = new Y.Doc();
      Y.applyUpdate(copy, after1!);
      assert.equal(copy.getText('t').toString(), author.getText('t').toString());
      // A second compaction with an empty log is a no-op.
      assert.equal((await store.compact('d3')).compactedRows, 0);
    });

    test('concurrent compactions and appends lose nothing', async () => {
      await store.ensureDocument('d4');
      const author = new Y.Doc();
      const appends: Promise<void>[] = [];
      const compactions: Promise<unknown>[] = [];
      for (let i = 0; i < 50; i++) {
        appends.push(store.append([{ documentId: 'd4', update: textUpdate(author, (t) => t.insert(t.length, 'x')), originNode: 'n' }]));
        if (i % 10 === 0) compactions.push(store.compact('d4'), store.compact('d4'));
      }
      await Promise.all([...appends, ...compactions]);
      await store.compact('d4');
      const copy = new Y.Doc();
      Y.applyUpdate(copy, (await store.loadMerged('d4'))!);
      assert.equal(copy.getText('t').toString(), 'x'.repeat(50));
    });

    test('STORE8 log rows that do not re-apply are quarantined: the document still opens with every other row', async () => {
      const quarantined: Array<{ documentId: string; reasons: string[] }> = [];
      const watched = new DocumentStore(db, {
        onQuarantine: (documentId, rows) => quarantined.push({ documentId, reasons: rows.map((r) => r.reason) }),
      });
      await watched.ensureDocument('bad');
      await watched.ensureDocument('good');
      const author = new Y.Doc();
      const before = textUpdate(author, (t) => t.insert(0, 'kept '));
      // Written straight to the table, as a row from an older node without validation would be.
      const killer = Uint8Array.from(Buffer.from('010207000401017801618407000000', 'hex'));
      for (const update of [before, new Uint8Array([0xff, 0xff, 0xff, 0x01]), killer, textUpdate(author, (t) => t.insert(5, 'after'))]) {
        await db.query('INSERT INTO document_updates (document_id, update) VALUES ($1, $2)', ['bad', update]);
      }
      await watched.append([{ documentId: 'good', update: textUpdate(new Y.Doc(), (t) => t.insert(0, 'fine')), originNode: 'n' }]);

      const copy = new Y.Doc();
      Y.applyUpdate(copy, (await watched.loadMerged('bad'))!);
      assert.equal(copy.getText('t').toString(), 'kept after', 'the honest rows before and after the bad ones');
      assert.equal(await watched.logLength('bad'), 2, 'bad rows left the log');
      const kept = await watched.quarantined('bad');
      assert.equal(kept.length, 2);
      assert.match(kept[0]!.reason, /does not decode/);
      assert.match(kept[1]!.reason, /length 0/);
      assert.deepEqual(Buffer.from(kept[1]!.update).toString('hex'), '010207000401017801618407000000', 'kept byte for byte');
      assert.deepEqual(quarantined, [{ documentId: 'bad', reasons: kept.map((k) => k.reason) }]);
      // Loading again finds a clean log; compaction folds it.
      Y.applyUpdate(new Y.Doc(), (await watched.loadMerged('bad'))!);
      assert.equal(quarantined.length, 1);
      const good = new Y.Doc();
      Y.applyUpdate(good, (await watched.loadMerged('good'))!);
      assert.equal(good.getText('t').toString(), 'fine');
    });

    test('STORE8 compaction quarantines a bad row instead of failing, and folds the rest', async () => {
      await store.ensureDocument('bad-compact');
      const author = new Y.Doc();
      await db.query('INSERT INTO document_updates (document_id, update) VALUES ($1, $2)', ['bad-compact', textUpdate(author, (t) => t.insert(0, 'a'))]);
      await db.query('INSERT INTO document_updates (document_id, update) VALUES ($1, $2)', ['bad-compact', Uint8Array.from(Buffer.from('010207000401017801618407000000', 'hex'))]);
      await db.query('INSERT INTO document_updates (document_id, update) VALUES ($1, $2)', ['bad-compact', textUpdate(author, (t) => t.insert(1, 'b'))]);
      const outcome = await store.compact('bad-compact');
      assert.equal(outcome.compactedRows, 2);
      assert.equal(outcome.quarantinedRows, 1);
      assert.equal(await store.logLength('bad-compact'), 0);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, (await store.loadMerged('bad-compact'))!);
      assert.equal(copy.getText('t').toString(), 'ab');
    });

    test('STORE9 state and log are read in one snapshot: a compaction committing mid-load never hides rows', async () => {
      await store.ensureDocument('race');
      const author = new Y.Doc();
      for (const word of ['one ', 'two ', 'three ']) {
        await store.append([{ documentId: 'race', update: textUpdate(author, (t) => t.insert(t.length, word)), originNode: 'n' }]);
      }
      // A Database that lets a compaction commit right after any statement
      // that read the compacted state, before the load reads anything else:
      // the worst interleaving, made deterministic.
      let armed = true;
      const racing: Database = {
        ...db,
        query: async (text, params) => {
          const result = await db.query(text, params);
          if (armed && /^\s*SELECT[\s\S]*\bstate\b/.test(text)) {
            armed = false;
            await store.compact('race');
          }
          return result as never;
        },
      };
      const copy = new Y.Doc();
      Y.applyUpdate(copy, (await new DocumentStore(racing).loadMerged('race'))!);
      assert.equal(armed, false, 'the compaction ran mid-load');
      assert.equal(copy.getText('t').toString(), 'one two three ');
    });

    // PGlite has one connection: everything serializes there, so only a real server can show this.
    if (impl.name === 'postgres') test('STORE13 appends complete while a compaction of the same document is in progress', async () => {
      await store.ensureDocument('busy-compacting');
      const author = new Y.Doc();
      await store.append([{ documentId: 'busy-compacting', update: textUpdate(author, (t) => t.insert(0, 'a')), originNode: 'n' }]);
      // A compactor that stops inside its transaction right after its first
      // statement (where it takes its lock), until the append below is done.
      let resume!: () => void;
      const held = new Promise<void>((resolve) => (resume = resolve));
      let paused!: () => void;
      const inside = new Promise<void>((resolve) => (paused = resolve));
      const pausing: Database = {
        ...db,
        transaction: (fn) =>
          db.transaction((tx) => {
            let first = true;
            return fn({
              ...tx,
              query: async (text, params) => {
                const result = await tx.query(text, params);
                if (first) {
                  first = false;
                  paused();
                  await held;
                }
                return result as never;
              },
            });
          }),
      };
      const compaction = new DocumentStore(pausing).compact('busy-compacting');
      await inside;
      const appended = store
        .append([{ documentId: 'busy-compacting', update: textUpdate(author, (t) => t.insert(1, 'b')), originNode: 'n' }])
        .then(() => 'appended' as const);
      const outcome = await Promise.race([appended, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000))]);
      resume();
      await compaction;
      await appended;
      assert.equal(outcome, 'appended', 'the append did not wait for the compactor');
      const copy = new Y.Doc();
      Y.applyUpdate(copy, (await store.loadMerged('busy-compacting'))!);
      assert.equal(copy.getText('t').toString(), 'ab');
    });

    test('a compacted state that does not decode fails that document with a clear error', async () => {
      await store.ensureDocument('bad-state');
      await db.query('INSERT INTO document_states (document_id, state) VALUES ($1, $2)', ['bad-state', new Uint8Array([0xff, 0xff, 0x01])]);
      await assert.rejects(store.loadMerged('bad-state'), (error: unknown) => error instanceof CorruptDocumentError);
    });
  });
}

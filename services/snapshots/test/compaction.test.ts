import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DocumentStore, openDatabase, type Database } from '@copycloud/db';
import { createTestSchema, waitFor, type TestSchema } from '@copycloud/testing';
import { implementations, migrate, startService, TestRoles } from './helpers.js';

const DOCUMENTS = 6;
const UPDATES_PER_DOCUMENT = 300;

function edits(seed: number): Array<{ documentId: string; update: Uint8Array }> {
  const out: Array<{ documentId: string; update: Uint8Array }> = [];
  for (let d = 0; d < DOCUMENTS; d++) {
    const author = new Y.Doc();
    author.clientID = seed * 1000 + d + 1;
    author.on('update', (update: Uint8Array) => out.push({ documentId: `doc-${d}`, update }));
    const text = author.getText('t');
    for (let i = 0; i < UPDATES_PER_DOCUMENT; i++) {
      if (i % 7 === 6) text.delete(0, 1);
      else text.insert(text.length, String.fromCharCode(97 + ((i + d) % 26)));
    }
  }
  return out;
}

describe('two compactors on the same documents (real Postgres, separate pools)', () => {
  let schema: TestSchema;
  let first: Database;
  let second: Database;

  before(async () => {
    schema = await createTestSchema('compact');
    first = await openDatabase({ url: schema.url, dataDir: '' });
    second = await openDatabase({ url: schema.url, dataDir: '' });
    await migrate(first);
  });
  after(async () => {
    await first.close();
    await second.close();
    await schema.drop();
  });

  test('COMPACT1 concurrent compactors and appends: nothing lost, state equals the merge of all updates', async () => {
    const store = new DocumentStore(first);
    for (let d = 0; d < DOCUMENTS; d++) await store.ensureDocument(`doc-${d}`);
    const all = edits(1);
    const config = { compactor: { thresholdRows: 1, intervalMs: 1_000, documentsPerTick: DOCUMENTS, corruptRetryMs: 60_000 } };
    const a = startService(first, { roles: new TestRoles(), config }).service;
    const b = startService(second, { roles: new TestRoles(), config }).service;

    // Appends in small batches, racing with both compactors ticking.
    let appended = 0;
    const appending = (async () => {
      for (let i = 0; i < all.length; i += 25) {
        await store.append(all.slice(i, i + 25).map((u) => ({ ...u, originNode: 'n' })));
        appended += 1;
      }
    })();
    const totals = { compacted: 0, skipped: 0, rows: 0 };
    const compacting = async (service: typeof a) => {
      while (appended * 25 < all.length) {
        const r = await service.compactor.tick();
        totals.compacted += r.compacted;
        totals.skipped += r.skipped;
        totals.rows += r.rows;
        assert.equal(r.failed, 0);
      }
    };
    await Promise.all([appending, compacting(a), compacting(b)]);
    const last = await a.compactor.tick();
    totals.rows += last.rows;

    assert.ok(totals.compacted > 2, `compactors ran (${JSON.stringify(totals)})`);
    assert.equal(totals.rows, all.length, 'every row folded exactly once');
    assert.equal(await a.compactor.backlog(), 0);
    const metrics = (await a.registry.metrics()) + (await b.registry.metrics());
    assert.match(metrics, /^copycloud_snapshots_update_log_rows\{service="snapshots"\} 0$/m);
    assert.match(metrics, /^copycloud_snapshots_rows_compacted_total\{service="snapshots"\} [1-9]/m);
    assert.match(metrics, /^copycloud_snapshots_compactions_total\{result="compacted",service="snapshots"\} [1-9]/m);
    for (let d = 0; d < DOCUMENTS; d++) {
      const expected = new Y.Doc();
      for (const u of all) if (u.documentId === `doc-${d}`) Y.applyUpdate(expected, u.update);
      const actual = new Y.Doc();
      Y.applyUpdate(actual, (await store.loadMerged(`doc-${d}`))!);
      assert.equal(actual.getText('t').toString(), expected.getText('t').toString());
      assert.deepEqual(Y.encodeStateVector(actual), Y.encodeStateVector(expected));
    }
  });
});

for (const impl of implementations) {
  describe(`automatic versions on ${impl.name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ db, cleanup } = await impl.open());
    });
    after(() => cleanup());

    test('HIST2 a pause in editing takes one version; unchanged content takes none; retention keeps the newest', async () => {
      const store = new DocumentStore(db);
      const { service } = startService(db, {
        roles: new TestRoles(),
        config: {
          autoVersions: { pauseMs: 1, minIntervalMs: 1, intervalMs: 1_000, documentsPerTick: 10, keepAutoVersions: 2, autoVersionMaxAgeMs: 86_400_000 },
        },
      });
      await store.ensureDocument('auto');
      const author = new Y.Doc();
      // The pause (1 ms) has passed once the database clock is past the last edit.
      const pauseElapsed = () =>
        waitFor(async () => {
          const { rows } = await db.query<{ past: boolean }>(
            "SELECT updated_at < now() - interval '2 milliseconds' AS past FROM documents WHERE id = 'auto'",
          );
          assert.equal(rows[0]?.past, true);
        });
      const versionsAfter = async (text: string) => {
        const before = Y.encodeStateVector(author);
        author.getText('t').insert(author.getText('t').length, text);
        await store.append([{ documentId: 'auto', update: Y.encodeStateAsUpdate(author, before), originNode: 'n' }]);
        // updated_at must be in the past by pauseMs; wait on the database clock, not a sleep.
        await pauseElapsed();
        await service.autoVersioner.tick();
        return (await service.versions.list('auto')).filter((v) => v.kind === 'auto').length;
      };
      assert.equal(await versionsAfter('one'), 1);
      // Compaction touches updated_at but not the content: no new version.
      await store.compact('auto');
      await pauseElapsed();
      await service.autoVersioner.tick();
      assert.equal((await service.versions.list('auto')).length, 1);
      assert.equal(await versionsAfter(' two'), 2);
      assert.equal(await versionsAfter(' three'), 2, 'retention keeps the newest 2 automatic versions');
      const newest = await service.versions.get('auto', (await service.versions.list('auto'))[0]!.id);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, newest!.state);
      assert.equal(doc.getText('t').toString(), 'one two three');
    });
  });
}

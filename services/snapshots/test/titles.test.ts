import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DocumentStore, type Database } from '@copycloud/db';
import { waitFor } from '@copycloud/testing';
import { DerivedTitles } from '../src/derived-titles.js';
import { contentUpdate, implementations, paragraphs, quietLogger, startService, TestRoles } from './helpers.js';

const MINUTE_MS = 60_000;

for (const impl of implementations) {
  describe(`derived titles (${impl.name})`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ db, cleanup } = await impl.open());
    });
    after(() => cleanup());

    async function row(id: string) {
      const { rows } = await db.query<{ title: string; title_source: string; fresh: boolean }>(
        'SELECT title, title_source, title_derived_at = updated_at AS fresh FROM documents WHERE id = $1',
        [id],
      );
      return rows[0]!;
    }

    test('TITLE3 the auto-versioner names untitled documents after a pause, follows the first line, never overrides a rename', async () => {
      const store = new DocumentStore(db);
      // One version per 10 minutes: the title must follow edits the versions skip.
      const { service } = startService(db, {
        roles: new TestRoles(),
        config: {
          autoVersions: { pauseMs: 1, minIntervalMs: 10 * MINUTE_MS, intervalMs: 1_000, documentsPerTick: 10, keepAutoVersions: 5, autoVersionMaxAgeMs: 86_400_000 },
        },
      });
      const id = `titled-${impl.name}`;
      const renamed = `renamed-${impl.name}`;
      await store.ensureDocument(id);
      await store.ensureDocument(renamed);
      const author = new Y.Doc();
      const other = new Y.Doc();
      const write = async (documentId: string, doc: Y.Doc, ...lines: string[]) => {
        await store.append([{ documentId, update: contentUpdate(doc, paragraphs(...lines)), originNode: 'n' }]);
        // The pause (1 ms) has passed once the database clock is past the last edit: wait on it, not a sleep.
        await waitFor(async () => {
          const { rows } = await db.query<{ past: boolean }>("SELECT updated_at < now() - interval '2 milliseconds' AS past FROM documents WHERE id = $1", [documentId]);
          assert.equal(rows[0]?.past, true);
        });
      };

      await write(id, author, '', 'Spring launch: lighter, brighter', 'Body copy');
      assert.equal((await row(id)).title, '', 'nothing is derived before the pause is over and the versioner ran');
      await service.autoVersioner.tick();
      assert.deepEqual(await row(id), { title: 'Spring launch: lighter, brighter', title_source: 'derived', fresh: true });
      assert.equal((await service.versions.list(id)).length, 1, 'the version was taken from the same read');

      // Within minIntervalMs no new version is taken, but the title still follows.
      await write(id, author, 'Summer launch', 'Body copy');
      await service.autoVersioner.tick();
      assert.equal((await service.versions.list(id)).length, 1);
      assert.deepEqual(await row(id), { title: 'Summer launch', title_source: 'derived', fresh: true });

      // Emptying the document empties the derived title ("Untitled document" in the list).
      await write(id, author, '');
      await service.autoVersioner.tick();
      assert.equal((await row(id)).title, '');

      // A renamed document keeps its name whatever its first line says.
      await db.query("UPDATE documents SET title = 'Named by a person', title_source = 'manual' WHERE id = $1", [renamed]);
      await write(renamed, other, 'First line');
      await service.autoVersioner.tick();
      assert.deepEqual(await row(renamed), { title: 'Named by a person', title_source: 'manual', fresh: null });
      assert.equal((await service.versions.list(renamed)).length, 1, 'it is still versioned');
    });

    test('TITLE4 an edit that lands after the content was read makes the title due again', async () => {
      const store = new DocumentStore(db);
      const { service } = startService(db, { roles: new TestRoles() });
      const id = `raced-${impl.name}`;
      await store.ensureDocument(id);
      const author = new Y.Doc();
      await store.append([{ documentId: id, update: contentUpdate(author, paragraphs('Old headline')), originNode: 'n' }]);
      const seen = await service.autoVersioner.titles.seenUpdatedAt(id);
      const staleContent = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Old headline' }] }] };
      await store.append([{ documentId: id, update: contentUpdate(author, paragraphs('New headline')), originNode: 'n' }]);
      assert.equal(await service.autoVersioner.titles.apply(id, staleContent, seen!), true);
      assert.deepEqual(await row(id), { title: 'Old headline', title_source: 'derived', fresh: false }, 'marked as read at the older updated_at');
      // The next pass (a 1 ms pause here) reads the document again and picks the new line.
      const derived = new DerivedTitles({ db, store, logger: quietLogger, config: { pauseMs: 1, documentsPerTick: 10 } });
      await waitFor(async () => {
        await derived.tick();
        assert.deepEqual(await row(id), { title: 'New headline', title_source: 'derived', fresh: true });
      });
    });
  });
}

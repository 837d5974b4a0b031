// The sweep of unreferenced files, on disk and on a real S3-compatible server
// (s3rver), reading real documents from Postgres: the merged state (compacted
// state + update log) and every stored version.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Registry } from 'prom-client';
import { DocumentStore, coreMigrations, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { appFileUrl } from '@copycloud/protocol';
import { FileSweep, PostgresDocumentReferences, fileIdsInState, fileKey } from '../src/index.js';
import { png } from './images.js';
import { quietLogger, startS3Server, storageImplementations, type RunningS3 } from './helpers.js';

const HOUR = 60 * 60 * 1000;
const id = (n: number, ext = 'png') => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}.${ext}`;

/**
 * The versions table as services/snapshots creates it (migration
 * snapshots-0001; files cannot depend on snapshots, which depends on files):
 * the sweep reads `document_id`, `id` and `state`.
 */
const VERSIONS_TABLE = `
  CREATE TABLE document_versions (
    id bigserial PRIMARY KEY,
    document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind text NOT NULL, name text, author_id text, author_name text,
    state bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`;

/** A Yjs state whose editor fragment shows images with these `src`s: one in a paragraph's sibling, the others nested in a table and a list. */
function stateWithImages(srcs: string[], text = 'Launch copy'): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  const blocks: Y.XmlElement[] = [paragraph];
  srcs.forEach((src, i) => {
    const image = new Y.XmlElement('image');
    image.setAttribute('src', src);
    image.setAttribute('alt', `image ${i}`);
    if (i === 0) return blocks.push(image);
    // Deeper: table > tableRow > tableCell > image, or bulletList > listItem > image.
    const outer = new Y.XmlElement(i % 2 ? 'table' : 'bulletList');
    const middle = new Y.XmlElement(i % 2 ? 'tableRow' : 'listItem');
    const inner = new Y.XmlElement(i % 2 ? 'tableCell' : 'paragraph');
    inner.insert(0, [image]);
    middle.insert(0, [inner]);
    outer.insert(0, [middle]);
    blocks.push(outer);
  });
  fragment.insert(0, blocks);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

test('FILES13 fileIdsInState finds every app file URL of the document at any depth, and nothing of other documents or other URLs', () => {
  const state = stateWithImages([appFileUrl('d1', id(1)), appFileUrl('d1', id(2)), appFileUrl('d1', id(3)), appFileUrl('other', id(4)), `https://example.com/x.png`, appFileUrl('d1', 'not-a-file-id')]);
  assert.deepEqual([...fileIdsInState(state, 'd1')].sort(), [id(1), id(2), id(3)]);
  assert.deepEqual([...fileIdsInState(state, 'other')], [id(4)]);
});

let s3: RunningS3;
let schema: TestSchema;
before(async () => {
  [s3, schema] = await Promise.all([startS3Server(), createTestSchema('files_sweep')]);
});
after(async () => {
  await s3?.stop();
  await schema?.drop();
});

let run = 0;
for (const implementation of storageImplementations(() => s3)) {
  describe(`sweep of unreferenced files on ${implementation.name} storage`, () => {
    let db: Database;
    let opened: Awaited<ReturnType<typeof implementation.open>>;
    // Each storage gets its own documents, in one schema.
    const doc = (name: string) => `${name}-${implementation.name}-${++run}`;
    before(async () => {
      db = await openDatabase({ url: schema.url, dataDir: '' });
      await runMigrations(db, coreMigrations);
      await db.exec(VERSIONS_TABLE).catch((error: Error) => {
        if (!/already exists/.test(error.message)) throw error;
      });
      opened = await implementation.open();
    });
    after(async () => {
      await opened?.cleanup();
      await db?.close();
    });

    test(`FILES14 [${implementation.name}] after the grace period, files neither the current state, the update log nor any version shows are deleted, and every file of a deleted document; referenced and young files stay; restoring the version keeps its image`, async () => {
      const { storage } = opened;
      const store = new DocumentStore(db);
      const live = doc('live');
      const gone = doc('gone');
      const [inState, inLog, inVersion, orphan] = [id(1), id(2), id(3, 'jpg'), id(4, 'gif')];
      const goneFile = id(5);
      for (const [documentId, fileId] of [[live, inState], [live, inLog], [live, inVersion], [live, orphan], [gone, goneFile]] as const) {
        await storage.put(fileKey(documentId, fileId), png(2, 2), 'image/png');
      }
      await store.ensureDocument(live);
      // Compacted state shows inState; an update still in the log adds inLog (a table cell).
      await db.query('INSERT INTO document_states (document_id, state) VALUES ($1, $2)', [live, stateWithImages([appFileUrl(live, inState)])]);
      await store.append([{ documentId: live, update: stateWithImages([appFileUrl(live, inState), appFileUrl(live, inLog)], 'newer'), originNode: 'test' }]);
      // An old version shows inVersion, which the current text no longer has.
      await db.query("INSERT INTO document_versions (document_id, kind, state) VALUES ($1, 'named', $2)", [live, stateWithImages([appFileUrl(live, inVersion)])]);

      const registry = new Registry();
      let clock = Date.now();
      const sweep = new FileSweep({ storage, references: new PostgresDocumentReferences(db), logger: quietLogger, graceMs: HOUR, registry, now: () => clock });

      // Within the grace period nothing goes, referenced or not.
      assert.deepEqual(await sweep.sweepOnce(), { checked: 0, deleted: 0, failedDocuments: 0 });
      for (const [documentId, fileId] of [[live, orphan], [gone, goneFile]] as const) assert.ok(await storage.get(fileKey(documentId, fileId)), `${fileId} kept while young`);

      clock += 2 * HOUR;
      const result = await sweep.sweepOnce();
      assert.equal(result.deleted, 2);
      assert.equal(result.failedDocuments, 0);
      assert.ok(result.checked >= 5);
      assert.equal(await storage.get(fileKey(live, orphan)), null, 'an image nobody shows any more is gone');
      assert.equal(await storage.get(fileKey(gone, goneFile)), null, 'a deleted document leaves no file behind');
      for (const fileId of [inState, inLog, inVersion]) assert.ok(await storage.get(fileKey(live, fileId)), `${fileId} is referenced and stays`);
      const metrics = await registry.metrics();
      assert.match(metrics, /^copycloud_files_sweep_deleted_total 2$/m);
      assert.match(metrics, /copycloud_files_sweep_runs_total\{result="ok"\} 2/);

      // A second sweep finds nothing more; once the version is deleted (retention), its image goes too.
      assert.equal((await sweep.sweepOnce()).deleted, 0);
      await db.query('DELETE FROM document_versions WHERE document_id = $1', [live]);
      assert.equal((await sweep.sweepOnce()).deleted, 1);
      assert.equal(await storage.get(fileKey(live, inVersion)), null);
      assert.ok(await storage.get(fileKey(live, inState)));
    });

    test(`FILES15 [${implementation.name}] a document whose state cannot be read keeps all its files (the sweep counts a failure); an unknown key in the store is left alone`, async () => {
      const { storage } = opened;
      const broken = doc('broken');
      await new DocumentStore(db).ensureDocument(broken);
      await db.query('INSERT INTO document_states (document_id, state) VALUES ($1, $2)', [broken, Buffer.from([0xff, 0xfe, 0x00, 0x13])]);
      await storage.put(fileKey(broken, id(7)), png(2, 2), 'image/png');
      await storage.put('elsewhere/readme.txt', new TextEncoder().encode('not a document file'), 'text/plain');
      const registry = new Registry();
      const sweep = new FileSweep({ storage, references: new PostgresDocumentReferences(db), logger: quietLogger, graceMs: HOUR, registry, now: () => Date.now() + 2 * HOUR });
      const result = await sweep.sweepOnce();
      assert.equal(result.failedDocuments, 1);
      assert.ok(await storage.get(fileKey(broken, id(7))), 'kept: what it references is unknown');
      assert.ok(await storage.get('elsewhere/readme.txt'));
      assert.match(await registry.metrics(), /copycloud_files_sweep_runs_total\{result="failed"\} 1/);
    });
  });
}

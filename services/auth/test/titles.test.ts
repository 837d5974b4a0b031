import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coreMigrations, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { newDocumentId } from '@copycloud/protocol';
import { DocumentAccess } from '../src/documents.js';
import { authMigrations } from '../src/migrations.js';
import { api, guest, signup, startAuth, type RunningAuth } from './helpers.js';

async function titleRow(db: Database, id: string): Promise<{ title: string; title_source: string; updated_at: string }> {
  const { rows } = await db.query<{ title: string; title_source: string; updated_at: string }>(
    'SELECT title, title_source, updated_at::text AS updated_at FROM documents WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

describe('document titles (Postgres)', () => {
  let s: RunningAuth;
  before(async () => {
    s = await startAuth();
  });
  after(() => s.stop());

  test('AUTH50 PATCH /api/docs/:id renames for editors and owners; the title becomes manual; viewers 403, strangers 404', async () => {
    const owner = await signup(s.url);
    const created = await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: {} });
    const id = created.json.document.id as string;
    assert.deepEqual([created.json.document.title, created.json.document.titleSource], ['', 'derived'], 'a new untitled document follows its content');
    const before = await titleRow(s.db, id);

    const renamed = await api(s.url, 'PATCH', `/api/docs/${id}`, { token: owner.accessToken, body: { title: '  Spring launch: headline options  ' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.json.document.title, 'Spring launch: headline options', 'trimmed');
    assert.equal(renamed.json.document.titleSource, 'manual');
    const list = await api(s.url, 'GET', '/api/docs', { token: owner.accessToken });
    assert.deepEqual(list.json.documents.map((d: { id: string; title: string }) => [d.id, d.title]), [[id, 'Spring launch: headline options']]);
    const after = await titleRow(s.db, id);
    assert.equal(after.title_source, 'manual');
    assert.equal(after.updated_at, before.updated_at, 'renaming is not a content edit');

    // An editor may rename; a viewer may not; a stranger does not learn the document exists.
    const editor = await guest(s.url);
    const viewer = await guest(s.url);
    for (const [person, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      const link = await api(s.url, 'POST', `/api/docs/${id}/share`, { token: owner.accessToken, body: { role } });
      assert.equal((await api(s.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: person.accessToken })).status, 200);
    }
    const byEditor = await api(s.url, 'PATCH', `/api/docs/${id}`, { token: editor.accessToken, body: { title: "Editor's cut" } });
    assert.equal(byEditor.status, 200);
    assert.equal(byEditor.json.document.role, 'editor');
    assert.equal((await api(s.url, 'PATCH', `/api/docs/${id}`, { token: viewer.accessToken, body: { title: 'Viewer was here' } })).status, 403);
    const stranger = await guest(s.url);
    assert.equal((await api(s.url, 'PATCH', `/api/docs/${id}`, { token: stranger.accessToken, body: { title: 'Mine now' } })).status, 404);
    assert.equal((await api(s.url, 'PATCH', `/api/docs/${newDocumentId()}`, { token: owner.accessToken, body: { title: 'Nowhere' } })).status, 404);
    assert.equal((await api(s.url, 'PATCH', `/api/docs/not%20an%20id`, { token: owner.accessToken, body: { title: 'Nowhere' } })).status, 404);
    assert.equal((await api(s.url, 'PATCH', `/api/docs/${id}`, { body: { title: 'No token' } })).status, 401);
    assert.equal((await titleRow(s.db, id)).title, "Editor's cut", 'refused renames changed nothing');
  });

  test('AUTH51 titles are validated: trimmed, 1-200 characters, no control characters; SQL stays data', async () => {
    const owner = await signup(s.url);
    const id = (await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: {} })).json.document.id as string;
    const refused: unknown[] = [
      {},
      { title: '' },
      { title: '   ' },
      { title: 'x'.repeat(201) },
      { title: 'Line one\nline two' },
      { title: 'Tab\there' },
      { title: 'Bell\u0007' },
      { title: 'Next line\u0085' },
      { title: 'Line\u2028separator' },
      { title: 42 },
      { title: null },
      { title: 'Fine', extra: true },
    ];
    for (const body of refused) {
      const r = await api(s.url, 'PATCH', `/api/docs/${id}`, { token: owner.accessToken, body });
      assert.equal(r.status, 400, `${JSON.stringify(body)} is refused`);
      assert.equal(r.json.error, 'invalid_request');
      assert.match(r.json.message, /title|extra/, 'the message names the field');
    }
    assert.deepEqual(await titleRow(s.db, id).then((r) => [r.title, r.title_source]), ['', 'derived'], 'nothing stored half-way');

    const longest = 'é'.repeat(200);
    assert.equal((await api(s.url, 'PATCH', `/api/docs/${id}`, { token: owner.accessToken, body: { title: longest } })).json.document.title, longest);
    const injection = "Robert'); DROP TABLE documents; --";
    const r = await api(s.url, 'PATCH', `/api/docs/${id}`, { token: owner.accessToken, body: { title: injection } });
    assert.equal(r.status, 200);
    assert.equal((await titleRow(s.db, id)).title, injection, 'stored verbatim');
  });

  test('AUTH52 a title given at creation is manual; none leaves it derived', async () => {
    const owner = await signup(s.url);
    const named = await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: { title: 'Brief' } });
    assert.equal(named.json.document.titleSource, 'manual');
    const unnamed = await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: { title: '' } });
    assert.equal(unnamed.json.document.titleSource, 'derived');
  });

  test('AUTH54 creating applies the rename rules to a title: trimmed, at most 200 characters, no control characters', async () => {
    const owner = await signup(s.url);
    for (const title of ['x'.repeat(201), 'Line one\nline two', 'Tab\there', 'Line\u2028separator', 42]) {
      const r = await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: { title } });
      assert.equal(r.status, 400, `${JSON.stringify(title)} is refused`);
      assert.equal(r.json.issues[0].path, 'title');
    }
    assert.deepEqual((await api(s.url, 'GET', '/api/docs', { token: owner.accessToken })).json.documents, [], 'nothing created');
    const trimmed = await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: { title: '  Brief  ' } });
    assert.deepEqual([trimmed.status, trimmed.json.document.title], [201, 'Brief']);
  });
});

describe('document titles (PGlite)', () => {
  test('AUTH53 the migration marks existing titles manual, runs once, and rename works on PGlite', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      // The schema as it was before titles had a source (core-0001 only).
      await runMigrations(db, coreMigrations.slice(0, 1));
      // Documents from before the column: one was named by a person, one never was.
      await db.query("INSERT INTO documents (id, title) VALUES ('named-before', 'Old name'), ('untitled-before', '')");
      const applied = await runMigrations(db, [...coreMigrations, ...authMigrations]);
      assert.ok(applied.includes('core-0002-document-titles'));
      assert.equal((await titleRow(db, 'named-before')).title_source, 'manual');
      assert.equal((await titleRow(db, 'untitled-before')).title_source, 'derived');
      // A derived title written later is not turned manual by running the migrations again.
      await db.query("UPDATE documents SET title = 'From the first line' WHERE id = 'untitled-before'");
      assert.deepEqual(await runMigrations(db, [...coreMigrations, ...authMigrations]), []);
      assert.equal((await titleRow(db, 'untitled-before')).title_source, 'derived');
      await assert.rejects(db.query("UPDATE documents SET title_source = 'guessed' WHERE id = 'named-before'"), /check/i, 'only derived or manual');

      await db.query("INSERT INTO users (id, name, color) VALUES ('u_pglite', 'Pat', '#123456')");
      const access = new DocumentAccess(db);
      const doc = await access.create('u_pglite', '');
      assert.equal(doc.titleSource, 'derived');
      await access.rename(doc.id, 'Named on PGlite');
      assert.deepEqual(
        (await access.listFor('u_pglite')).map((d) => [d.title, d.titleSource]),
        [['Named on PGlite', 'manual']],
      );
    } finally {
      await db.close();
    }
  });
});

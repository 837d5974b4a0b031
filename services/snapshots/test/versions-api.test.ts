import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DocumentStore, type Database } from '@copycloud/db';
import { bearer, contentUpdate, implementations, paragraphs, startService, TestRoles } from './helpers.js';
import type { Hono } from 'hono';
import type { SnapshotsService } from '../src/index.js';

for (const impl of implementations) {
  describe(`versions API on ${impl.name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    let store: DocumentStore;
    let app: Hono;
    let service: SnapshotsService;
    const roles = new TestRoles();
    const author = new Y.Doc();

    before(async () => {
      ({ db, cleanup } = await impl.open());
      store = new DocumentStore(db);
      ({ app, service } = startService(db, { roles }));
      for (const id of ['doc-a', 'doc-b', 'corrupt']) {
        await store.ensureDocument(id);
        roles.grant(id, 'alice', 'owner');
      }
      roles.grant('doc-a', 'victor', 'viewer');
      roles.grant('ghost', 'alice', 'owner'); // a role on a document that does not exist
      await store.append([{ documentId: 'doc-a', update: contentUpdate(author, paragraphs('first draft')), originNode: 'n' }]);
    });
    after(async () => {
      await service.stop();
      await cleanup();
    });

    const call = (path: string, init: RequestInit & { user?: string } = {}) =>
      app.request(path, { ...init, headers: { ...(init.user ? bearer(init.user) : {}), 'content-type': 'application/json', ...(init.headers ?? {}) } });

    test('HIST1 a named version records who, when and the content, and lists newest first', async () => {
      const created = await call('/api/docs/doc-a/versions', { method: 'POST', user: 'alice', body: JSON.stringify({ name: 'Before legal review' }) });
      assert.equal(created.status, 201);
      const { version } = (await created.json()) as { version: { id: string; name: string; author: { userId: string }; kind: string } };
      assert.equal(version.name, 'Before legal review');
      assert.equal(version.kind, 'named');
      assert.equal(version.author.userId, 'alice');

      await store.append([{ documentId: 'doc-a', update: contentUpdate(author, paragraphs('second draft')), originNode: 'n' }]);
      const again = await call('/api/docs/doc-a/versions', { method: 'POST', user: 'alice', body: JSON.stringify({ name: 'Second' }) });
      assert.equal(again.status, 201);

      const list = (await (await call('/api/docs/doc-a/versions', { user: 'victor' })).json()) as { versions: Array<{ name: string }> };
      assert.deepEqual(list.versions.map((v) => v.name), ['Second', 'Before legal review']);

      const viewed = (await (await call(`/api/docs/doc-a/versions/${version.id}`, { user: 'victor' })).json()) as { content: unknown };
      assert.deepEqual(viewed.content, paragraphs('first draft'));
      const md = await call(`/api/docs/doc-a/versions/${version.id}?format=md`, { user: 'victor' });
      assert.equal(md.status, 200);
      assert.match(md.headers.get('content-type') ?? '', /text\/markdown/);
      assert.equal((await md.text()).trim(), 'first draft');
      const html = await call(`/api/docs/doc-a/versions/${version.id}?format=html`, { user: 'victor' });
      assert.equal(await html.text(), '<p>first draft</p>');
    });

    test('EXPORT3 export renders the current content as Markdown and HTML', async () => {
      const md = await call('/api/docs/doc-a/export?format=md', { user: 'victor' });
      assert.equal(md.status, 200);
      assert.equal((await md.text()).trim(), 'second draft');
      // doc-a has no title yet: the file is named Untitled (named after the title: EXPORT8).
      assert.match(md.headers.get('content-disposition') ?? '', /attachment; filename="Untitled\.md"/);
      const html = await call('/api/docs/doc-a/export?format=html', { user: 'victor' });
      assert.equal(await html.text(), '<p>second draft</p>');
      const bad = await call('/api/docs/doc-a/export?format=odt', { user: 'victor' });
      assert.equal(bad.status, 400);
    });

    test('BAD1 unknown document → 404; version of another document → 404; bad ids → 404', async () => {
      const [mine] = (await service.versions.list('doc-a')).slice(-1);
      assert.ok(mine);
      assert.equal((await call('/api/docs/ghost/versions', { user: 'alice' })).status, 404);
      assert.equal((await call('/api/docs/nobody-knows/versions', { user: 'alice' })).status, 404);
      assert.equal((await call('/api/docs/ghost/export?format=md', { user: 'alice' })).status, 404);
      assert.equal((await call(`/api/docs/doc-b/versions/${mine.id}`, { user: 'alice' })).status, 404);
      assert.equal((await call(`/api/docs/doc-b/versions/${mine.id}/restore`, { method: 'POST', user: 'alice' })).status, 404);
      assert.equal((await call('/api/docs/doc-a/versions/abc', { user: 'alice' })).status, 404);
      assert.equal((await call('/api/docs/doc-a/versions/99999999', { user: 'alice' })).status, 404);
      const body = (await (await call(`/api/docs/doc-b/versions/${mine.id}`, { user: 'alice' })).json()) as { error: string };
      assert.equal(body.error, 'version_not_found');
    });

    test('AUTH no token → 401, viewer cannot name or restore → 403, a stranger sees 404', async () => {
      assert.equal((await call('/api/docs/doc-a/versions')).status, 401);
      assert.equal((await call('/api/docs/doc-a/versions', { headers: { authorization: 'Bearer forged' } })).status, 401);
      const named = await call('/api/docs/doc-a/versions', { method: 'POST', user: 'victor', body: JSON.stringify({ name: 'x' }) });
      assert.equal(named.status, 403);
      const [v] = await service.versions.list('doc-a');
      assert.equal((await call(`/api/docs/doc-a/versions/${v!.id}/restore`, { method: 'POST', user: 'victor' })).status, 403);
      assert.equal((await call('/api/docs/doc-a/versions', { user: 'mallory' })).status, 404);
    });

    test('bad input: a missing or oversized name is refused and nothing is stored', async () => {
      const before = (await service.versions.list('doc-a')).length;
      for (const body of ['{}', '{"name":""}', JSON.stringify({ name: 'x'.repeat(201) }), 'not json', '[1]']) {
        const res = await call('/api/docs/doc-a/versions', { method: 'POST', user: 'alice', body });
        assert.equal(res.status, 400, body.slice(0, 20));
      }
      assert.equal((await service.versions.list('doc-a')).length, before);
    });

    test('BAD2 a corrupt log row is quarantined: the document still exports the rest', async () => {
      await store.ensureDocument('bad-row');
      roles.grant('bad-row', 'alice', 'owner');
      await store.append([{ documentId: 'bad-row', update: contentUpdate(new Y.Doc(), paragraphs('kept')), originNode: 'n' }]);
      await store.append([{ documentId: 'bad-row', update: new Uint8Array([0xff, 0xff, 0xff, 0x01]), originNode: 'n' }]);
      const res = await call('/api/docs/bad-row/export?format=md', { user: 'alice' });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /kept/);
      assert.equal((await store.quarantined('bad-row')).length, 1, 'the row is kept for an operator, out of the log');
      assert.equal(await store.logLength('bad-row'), 1);
    });

    test('BAD3 a corrupt compacted state: that document reports an error, others are unaffected, and it is not retried every tick', async () => {
      await store.ensureDocument('corrupt');
      await db.query('INSERT INTO document_states (document_id, state) VALUES ($1, $2)', ['corrupt', new Uint8Array([0xff, 0xff, 0xff, 0x01])]);
      await store.append([{ documentId: 'corrupt', update: contentUpdate(new Y.Doc(), paragraphs('x')), originNode: 'n' }]);
      const res = await call('/api/docs/corrupt/export?format=md', { user: 'alice' });
      assert.equal(res.status, 500);
      assert.equal(((await res.json()) as { error: string }).error, 'document_corrupt');
      const named = await call('/api/docs/corrupt/versions', { method: 'POST', user: 'alice', body: JSON.stringify({ name: 'x' }) });
      assert.equal(named.status, 500);
      assert.equal((await call('/api/docs/doc-a/export?format=md', { user: 'alice' })).status, 200);
      // The compactor skips it and keeps compacting the others.
      await store.append([{ documentId: 'doc-b', update: contentUpdate(new Y.Doc(), paragraphs('b')), originNode: 'n' }]);
      const { service: compacting } = startService(db, { roles, config: { compactor: { thresholdRows: 1, intervalMs: 1000, documentsPerTick: 10, corruptRetryMs: 60_000 } } });
      const result = await compacting.compactor.tick();
      assert.equal(result.failed, 1);
      assert.ok(result.compacted >= 1);
      assert.equal(await store.logLength('doc-b'), 0);
      assert.equal(await store.logLength('corrupt'), 1, 'its log is kept for repair, not dropped');
      const second = await compacting.compactor.tick();
      assert.equal(second.failed, 0, 'a corrupt document is not retried on every tick');
    });
  });
}

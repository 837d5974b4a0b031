import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Hono } from 'hono';
import { DocumentStore, type Database } from '@copycloud/db';
import { anchorFromTypeIndices, writeReply, writeReplyDeleted, writeResolved, writeThread } from '@copycloud/schema';
import { createSnapshotsService, type SnapshotsService } from '../src/index.js';
import { TestRoles, bearer, contentUpdate, implementations, paragraphs, quietLogger, testConfig, testVerifier } from './helpers.js';

describe('export with comments (?comments=true)', () => {
  const impl = implementations.find((i) => i.name === 'pglite')!;
  let db: Database;
  let cleanup: () => Promise<void>;
  let service: SnapshotsService;
  let app: Hono;
  const roles = new TestRoles();

  before(async () => {
    ({ db, cleanup } = await impl.open());
    service = createSnapshotsService({ config: testConfig(), db, logger: quietLogger, verifier: testVerifier, roles });
    app = new Hono().route('/', service.app);
    const store = new DocumentStore(db);
    await store.ensureDocument('reviewed', 'Reviewed');
    roles.grant('reviewed', 'victor', 'viewer');
    const author = new Y.Doc();
    const content = contentUpdate(author, paragraphs('Our product is fast.', 'Call us today.'));
    // The review service's server transactions, as they would reach the log.
    const server = new Y.Doc();
    Y.applyUpdate(server, content);
    const before = Y.encodeStateVector(server);
    const text = (index: number) => (server.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;
    const on = (index: number, word: string) => {
      const at = text(index).toString().indexOf(word);
      return anchorFromTypeIndices({ type: text(index) as Y.AbstractType<unknown>, index: at }, { type: text(index) as Y.AbstractType<unknown>, index: at + word.length });
    };
    const cara = { userId: 'u-cara', name: 'Cara <script>' };
    writeThread(server, { id: 't1', anchor: on(0, 'fast'), quote: 'fast', author: cara, body: 'Prove *this* <b>now</b>', replyId: 'r0', at: '2026-12-02T10:00:00.000Z' });
    writeReply(server, 't1', { id: 'r1', author: { userId: 'u-alice', name: 'Alice' }, body: 'Benchmarks attached', at: '2026-12-02T10:05:00.000Z' });
    writeReply(server, 't1', { id: 'r2', author: cara, body: 'oops', at: '2026-12-02T10:06:00.000Z' });
    writeReplyDeleted(server, 't1', 'r2', '2026-12-02T10:07:00.000Z');
    writeResolved(server, 't1', true, { userId: 'u-alice', name: 'Alice' }, '2026-12-02T10:08:00.000Z');
    writeThread(server, { id: 't2', anchor: on(1, 'today'), quote: 'today', author: cara, body: 'Which day?', replyId: 'r3', at: '2026-12-02T10:01:00.000Z' });
    text(1).delete(text(1).toString().indexOf('today'), 5);
    await store.append([
      { documentId: 'reviewed', update: content, originNode: 'n' },
      { documentId: 'reviewed', update: Y.encodeStateAsUpdate(server, before), originNode: 'n' },
    ]);
  });
  after(async () => {
    await service.stop();
    await cleanup();
  });

  const get = (query: string) => app.request(`/api/docs/reviewed/export?${query}`, { headers: bearer('victor') });

  test('COMMENT14 Markdown: the text, then numbered threads with quote, status and every comment (escaped); deleted comments left out', async () => {
    const response = await get('format=md&comments=true');
    assert.equal(response.status, 200);
    const body = await response.text();
    assert.match(body, /^Our product is fast\./);
    const appendix = body.slice(body.indexOf('## Comments'));
    assert.match(appendix, /1\. On “fast” \(resolved by Alice\)/);
    assert.match(appendix, /\*\*Cara &lt;script&gt;\*\* \(2026-12-02 10:00\): Prove \\\*this\\\* &lt;b&gt;now&lt;/);
    assert.match(appendix, /\*\*Alice\*\* \(2026-12-02 10:05\): Benchmarks attached/);
    assert.doesNotMatch(appendix, /oops/);
    assert.match(appendix, /2\. On “today” \(text deleted\)/);
    const plain = await (await get('format=md')).text();
    assert.doesNotMatch(plain, /Comments/, 'without the flag, no comments');
  });

  test('COMMENT14 HTML: a comments section, every value escaped; DOCX/PDF or a bad flag answer 400', async () => {
    const body = await (await get('format=html&comments=true')).text();
    assert.match(body, /<section class="comments"><h2>Comments<\/h2><ol><li><blockquote>fast<\/blockquote><p><em>resolved by Alice<\/em><\/p>/);
    assert.match(body, /<strong>Cara &lt;script&gt;<\/strong>/);
    assert.match(body, /Prove \*this\* &lt;b&gt;now&lt;\/b&gt;/);
    assert.doesNotMatch(body, /<script>/);
    assert.equal((await get('format=pdf&comments=true')).status, 400);
    assert.equal((await get('format=md&comments=yes')).status, 400);
  });
});

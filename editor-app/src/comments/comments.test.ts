import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import type { CommentReply, CommentThread } from '@copycloud/protocol';
import { writeReply, writeResolved, writeThread } from '@copycloud/schema/comments';
import { commentPermissions } from './comment-permissions.js';
import { CommentsApi } from './comments-api.js';
import { isCommentShortcut } from './comment-shortcut.js';
import { layoutThreads } from './thread-layout.js';
import { CommentThreadStore } from './thread-store.js';

function thread(id: string, over: Partial<CommentThread> = {}): CommentThread {
  return {
    id,
    anchor: { start: 'AA==', end: 'AA==' },
    quote: id,
    authorId: 'u-cara',
    authorName: 'Cara',
    createdAt: `2026-12-02T10:00:0${id.length}.000Z`,
    resolved: false,
    resolvedBy: null,
    resolvedAt: null,
    replies: [reply('r-' + id, 'u-cara')],
    ...over,
  };
}
function reply(id: string, authorId: string, over: Partial<CommentReply> = {}): CommentReply {
  return { id, authorId, authorName: authorId, body: 'b', createdAt: '2026-12-02T10:00:00.000Z', editedAt: null, deleted: false, ...over };
}

describe('comments in the editor (COMMENT6, COMMENT11)', () => {
  test('COMMENT6 the panel offers what each role may do: viewers read; commenters comment and resolve their own; editors and owners resolve any', () => {
    const own = thread('a');
    const others = thread('b', { authorId: 'u-bob' });
    const viewer = commentPermissions('viewer', 'u-vic');
    assert.equal(viewer.canComment, false);
    assert.equal(viewer.canResolve(own), false);
    const cara = commentPermissions('commenter', 'u-cara');
    assert.equal(cara.canComment, true);
    assert.equal(cara.canResolve(own), true);
    assert.equal(cara.canResolve(others), false);
    assert.equal(cara.canChange(reply('x', 'u-cara')), true);
    assert.equal(cara.canChange(reply('x', 'u-bob')), false);
    assert.equal(cara.canChange(reply('x', 'u-cara', { deleted: true })), false);
    for (const role of ['editor', 'owner'] as const) assert.equal(commentPermissions(role, 'u-x').canResolve(others), true);
    assert.equal(commentPermissions(null, null).canComment, false, 'unknown role: read only');
  });

  test('COMMENT11 the panel lists open threads in text order, detached ones after them, resolved ones last (newest first); deleted threads not at all', () => {
    const places: Record<string, { from: number; to: number } | null> = { late: { from: 40, to: 45 }, early: { from: 3, to: 9 }, gone: null, old: null };
    const layout = layoutThreads(
      [
        thread('late'),
        thread('gone'),
        thread('early'),
        thread('old', { createdAt: '2026-12-01T00:00:00.000Z' }),
        thread('r1', { resolved: true, resolvedAt: '2026-12-02T11:00:00.000Z' }),
        thread('r2', { resolved: true, resolvedAt: '2026-12-02T12:00:00.000Z' }),
        thread('deleted', { replies: [reply('r', 'u-cara', { deleted: true })] }),
      ],
      (t) => places[t.id] ?? null,
    );
    assert.deepEqual(
      layout.open.map((p) => [p.thread.id, p.range !== null]),
      [
        ['early', true],
        ['late', true],
        ['old', false],
        ['gone', false],
      ],
    );
    assert.deepEqual(
      layout.resolved.map((p) => p.thread.id),
      ['r2', 'r1'],
    );
  });

  test('COMMENT11 Ctrl+Alt+M (or ⌘+Option+M) is the comment shortcut, by key position (Option changes the character on macOS)', () => {
    assert.equal(isCommentShortcut({ ctrlKey: true, metaKey: false, altKey: true, shiftKey: false, code: 'KeyM' }), true);
    assert.equal(isCommentShortcut({ ctrlKey: false, metaKey: true, altKey: true, shiftKey: false, code: 'KeyM' }), true);
    assert.equal(isCommentShortcut({ ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, code: 'KeyM' }), false);
    assert.equal(isCommentShortcut({ ctrlKey: true, metaKey: false, altKey: true, shiftKey: true, code: 'KeyM' }), false);
  });

  test('COMMENT11 the thread store follows the comments root live and only notifies on a real change', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    doc.getXmlFragment('default').insert(0, [paragraph]);
    const text = new Y.XmlText('Our product is fast.');
    paragraph.insert(0, [text]);
    const store = new CommentThreadStore(doc);
    let notified = 0;
    const unsubscribe = store.subscribe(() => notified++);
    const anchor = { start: 'AA==', end: 'AA==' };
    writeThread(doc, { id: 't1', anchor, quote: 'fast', author: { userId: 'u', name: 'U' }, body: 'b', replyId: 'r0', at: '2026-12-02T10:00:00.000Z' });
    assert.equal(store.getSnapshot().length, 1);
    writeReply(doc, 't1', { id: 'r1', author: { userId: 'u', name: 'U' }, body: 'again', at: '2026-12-02T10:01:00.000Z' });
    writeResolved(doc, 't1', true, { userId: 'u', name: 'U' }, '2026-12-02T10:02:00.000Z');
    assert.equal(store.getSnapshot()[0]?.replies.length, 2);
    assert.equal(store.getSnapshot()[0]?.resolved, true);
    const before = notified;
    text.insert(0, 'Now: ');
    assert.equal(notified, before, 'typing in the text does not re-read the threads');
    unsubscribe();
  });

  test('COMMENT11 a new thread on text not yet on the server (409 anchor_not_found) is retried until it lands', async () => {
    let calls = 0;
    const fetchFn = (async () => {
      calls++;
      if (calls < 3) return new Response(JSON.stringify({ error: 'anchor_not_found', message: 'not yet' }), { status: 409 });
      return new Response(JSON.stringify({ thread: thread('t') }), { status: 201 });
    }) as typeof fetch;
    const api = new CommentsApi('doc', async () => 'token', fetchFn, async () => undefined);
    assert.equal((await api.createThread({ start: 'AA==', end: 'AA==' }, 'hi')).id, 't');
    assert.equal(calls, 3);
    const refusing = new CommentsApi('doc', async () => 'token', (async () => new Response(JSON.stringify({ error: 'forbidden', message: 'no' }), { status: 403 })) as typeof fetch);
    await assert.rejects(refusing.createThread({ start: 'AA==', end: 'AA==' }, 'hi'), /no/);
  });
});

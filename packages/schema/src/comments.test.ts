import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { SERVER_ONLY_ROOTS } from '@copycloud/protocol';
import {
  COMMENTS_FIELD,
  RESTORES_FIELD,
  anchorFromTypeIndices,
  clampQuote,
  decodeAnchorPosition,
  jsonToYState,
  listThreads,
  locateAnchor,
  readThreads,
  restoreContent,
  yStateToJSON,
  writeReply,
  writeReplyDeleted,
  writeReplyEdit,
  writeResolved,
  writeThread,
} from './index.js';

const alice = { userId: 'u-alice', name: 'Alice' };
const cara = { userId: 'u-cara', name: 'Cara' };

function docWith(paragraphs: string[], clientID = 1): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  Y.applyUpdate(doc, jsonToYState({ type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) }));
  return doc;
}

function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

/** The anchor of `word` in paragraph `index`, the way the editor computes it from a selection. */
function anchorOn(doc: Y.Doc, index: number, word: string) {
  const text = paragraphText(doc, index);
  const at = text.toString().indexOf(word);
  assert.ok(at >= 0, `${word} in ${text.toString()}`);
  return anchorFromTypeIndices({ type: text as Y.AbstractType<unknown>, index: at }, { type: text as Y.AbstractType<unknown>, index: at + word.length });
}

function sync(...docs: Y.Doc[]): void {
  for (const from of docs) for (const to of docs) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function threadOn(doc: Y.Doc, word: string, id = 't1') {
  writeThread(doc, { id, anchor: anchorOn(doc, 0, word), quote: word, author: cara, body: `About "${word}"`, replyId: `${id}-r0`, at: '2026-12-02T10:00:00.000Z' });
}

describe('comment threads in the document (COMMENT1-4)', () => {
  test('COMMENT1 a thread, its replies, edits, deletions and resolution read back as written', () => {
    const doc = docWith(['Our product is fast.']);
    threadOn(doc, 'fast');
    writeReply(doc, 't1', { id: 'r1', author: alice, body: 'Agreed', at: '2026-12-02T10:01:00.000Z' });
    writeReply(doc, 't1', { id: 'r2', author: cara, body: 'Typo', at: '2026-12-02T10:02:00.000Z' });
    writeReplyEdit(doc, 't1', 'r1', 'Agreed, changing it', '2026-12-02T10:03:00.000Z');
    writeReplyDeleted(doc, 't1', 'r2', '2026-12-02T10:04:00.000Z');
    writeResolved(doc, 't1', true, alice, '2026-12-02T10:05:00.000Z');
    const [thread] = readThreads(doc);
    assert.ok(thread);
    assert.equal(thread.quote, 'fast');
    assert.equal(thread.authorName, 'Cara');
    assert.deepEqual(thread.resolvedBy, alice);
    assert.equal(thread.resolved, true);
    assert.deepEqual(
      thread.replies.map((r) => [r.id, r.authorName, r.body, r.deleted, r.editedAt !== null]),
      [
        ['t1-r0', 'Cara', 'About "fast"', false, false],
        ['r1', 'Alice', 'Agreed, changing it', false, true],
        ['r2', 'Cara', '', true, true],
      ],
    );
    writeResolved(doc, 't1', false, alice, '2026-12-02T10:06:00.000Z');
    assert.equal(readThreads(doc)[0]!.resolved, false);
    assert.equal(readThreads(doc)[0]!.resolvedBy, null);
  });

  test('COMMENT2 a thread follows its words through concurrent edits on other replicas (before, after, inside, other paragraphs)', () => {
    const server = docWith(['Our product is fast.', 'Intro.'], 1);
    threadOn(server, 'fast');
    const bob = new Y.Doc();
    bob.clientID = 2;
    const dan = new Y.Doc();
    dan.clientID = 3;
    sync(server, bob, dan);
    // Concurrently: Bob types just before and just after the word, Dan rewrites another paragraph and types before the first.
    const bobText = paragraphText(bob, 0);
    bobText.insert(bobText.toString().indexOf('fast.') + 'fast'.length, ' and cheap');
    bobText.insert(bobText.toString().indexOf('fast'), 'very ');
    paragraphText(dan, 1).insert(0, 'New ');
    paragraphText(dan, 0).insert(0, 'Today: ');
    sync(server, bob, dan);
    for (const doc of [server, bob, dan]) {
      assert.equal(paragraphText(doc, 0).toString(), 'Today: Our product is very fast and cheap.');
      const [listed] = listThreads(doc);
      assert.equal(listed?.detached, false);
      assert.equal(listed?.currentText, 'fast', 'the highlight covers the same word, nothing typed around it');
    }
    // Typing inside the word is inside the thread.
    const inside = paragraphText(bob, 0);
    inside.insert(inside.toString().indexOf('fast') + 2, 'ST');
    assert.equal(listThreads(bob)[0]?.currentText, 'faSTst');
  });

  test('COMMENT3 a thread whose words are deleted is detached, never lost (word deleted, paragraph deleted)', () => {
    const doc = docWith(['Our product is fast.', 'Second paragraph here.']);
    threadOn(doc, 'fast', 't1');
    writeThread(doc, { id: 't2', anchor: anchorOn(doc, 1, 'paragraph'), quote: 'paragraph', author: cara, body: 'x', replyId: 't2-r0', at: '2026-12-02T10:00:01.000Z' });
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(doc));
    const first = paragraphText(editor, 0);
    first.delete(first.toString().indexOf('fast'), 'fast'.length);
    editor.getXmlFragment('default').delete(1, 1);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(editor, Y.encodeStateVector(doc)));
    const listed = listThreads(doc);
    assert.deepEqual(
      listed.map((t) => [t.id, t.detached, t.quote]),
      [
        ['t1', true, 'fast'],
        ['t2', true, 'paragraph'],
      ],
    );
    // Retyping the same word elsewhere does not re-attach the thread to it.
    paragraphText(doc, 0).insert(0, 'fast ');
    assert.equal(listThreads(doc)[0]?.detached, true);
  });

  test('COMMENT4 restoring a version replaces the content only: every thread survives, on kept text still attached', () => {
    const doc = docWith(['Our product is fast.', 'Call us today.']);
    const version = yStateToJSON(Y.encodeStateAsUpdate(doc));
    threadOn(doc, 'fast', 't1');
    writeThread(doc, { id: 't2', anchor: anchorOn(doc, 1, 'today'), quote: 'today', author: cara, body: 'x', replyId: 't2-r0', at: '2026-12-02T10:00:01.000Z' });
    writeReply(doc, 't1', { id: 'r1', author: alice, body: 'ok', at: '2026-12-02T10:01:00.000Z' });
    paragraphText(doc, 1).insert(paragraphText(doc, 1).length, ' Now!');
    restoreContent(doc, version, { versionId: 'v1', at: '2026-12-02T11:00:00.000Z' }, 'restore');
    assert.equal(paragraphText(doc, 1).toString(), 'Call us today.');
    const listed = listThreads(doc);
    assert.deepEqual(listed.map((t) => t.id), ['t1', 't2']);
    assert.equal(listed[0]!.replies.length, 2);
    assert.equal(listed[0]!.currentText, 'fast', 'an unchanged paragraph keeps its items, so its thread stays attached');
  });

  test('COMMENT9 the comments and restores roots are the server-only roots sync nodes protect', () => {
    assert.deepEqual([...SERVER_ONLY_ROOTS].sort(), [COMMENTS_FIELD, RESTORES_FIELD].sort());
  });

  test('COMMENT5 anchors that are not positions in the content are refused; locate says unknown for characters the doc lacks', () => {
    assert.equal(decodeAnchorPosition('not base64 !!'), null);
    assert.equal(decodeAnchorPosition(''), null);
    assert.equal(decodeAnchorPosition('A'.repeat(300)), null);
    const other = new Y.Doc();
    const rootOther = Y.createRelativePositionFromTypeIndex(other.getText('elsewhere'), 0);
    assert.equal(decodeAnchorPosition(Buffer.from(Y.encodeRelativePosition(rootOther)).toString('base64')), null, 'another root by name');
    const ahead = docWith(['Our product is fast.'], 9);
    const behind = new Y.Doc();
    assert.equal(locateAnchor(behind, anchorOn(ahead, 0, 'fast')).kind, 'unknown');
    assert.equal(clampQuote(`a  b\n${'x'.repeat(600)}`).length, 500);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { getSchema } from '@tiptap/core';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { DOCUMENT_FIELD, documentExtensions, SUGGESTION_DELETE_MARK, SUGGESTION_INSERT_MARK } from './extensions.js';
import { MAX_SUGGESTION_TEXT_CHARS, SuggestionWriteError, writeSuggestion, type SuggestionWriteErrorCode } from './suggestion-writer.js';
import { jsonToYState, yDocToJSON } from './yjs-content.js';
import { toHTML, toMarkdown } from './export.js';

const cara = { id: 'user-cara', name: 'Cara' };
const time = '2026-01-02T03:04:05.000Z';
const attrs = (id: string, author = cara) => ({ id, authorId: author.id, authorName: author.name, time });

function docWith(content: JSONContent[]): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, jsonToYState({ type: 'doc', content }));
  return doc;
}

const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const text = (value: string, marks?: JSONContent['marks']): JSONContent => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value });

/** The Y.XmlText of the `block`-th top-level block. */
function textOf(doc: Y.Doc, block: number): Y.XmlText {
  const element = doc.getXmlFragment(DOCUMENT_FIELD).get(block) as Y.XmlElement;
  return element.get(0) as Y.XmlText;
}

function range(doc: Y.Doc, block: number, from: number, to: number) {
  const ytext = textOf(doc, block);
  return { from: Y.createRelativePositionFromTypeIndex(ytext, from), to: Y.createRelativePositionFromTypeIndex(ytext, to, -1) };
}

function expectCode(run: () => unknown, code: SuggestionWriteErrorCode) {
  assert.throws(run, (error: unknown) => error instanceof SuggestionWriteError && error.code === code);
}

test('SUGGEST5 the server-side writer records a replacement as a struck deletion followed by a marked insertion with one id', () => {
  const doc = docWith([paragraph(text('The quick fox.'))]);
  const written = writeSuggestion(doc, { ...range(doc, 0, 4, 9), text: 'fast', author: cara, time, id: 's1' }, 'review');
  assert.deepEqual(written, { id: 's1', deletedChars: 5, insertedChars: 4 });
  assert.deepEqual(yDocToJSON(doc), {
    type: 'doc',
    content: [
      paragraph(
        text('The '),
        text('quick', [{ type: SUGGESTION_DELETE_MARK, attrs: attrs('s1') }]),
        text('fast', [{ type: SUGGESTION_INSERT_MARK, attrs: attrs('s1') }]),
        text(' fox.'),
      ),
    ],
  });
  // The editor's schema reads it back as valid content.
  const node = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(DOCUMENT_FIELD), getSchema(documentExtensions()));
  node.check();
  assert.equal(node.textContent, 'The quickfast fox.');
});

test('SUGGEST5 the writer lands on the intended words after concurrent edits (relative positions) and its update merges', () => {
  const server = docWith([paragraph(text('The quick fox.'))]);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  // The commenter computed the range on their replica…
  const { from, to } = range(client, 0, 4, 9);
  // …while someone else typed in front of it, and the server already has that.
  textOf(server, 0).insert(0, 'Look: ');
  writeSuggestion(server, { from, to, text: 'fast', author: cara, time, id: 's2' }, 'review');
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
  const json = yDocToJSON(client);
  assert.deepEqual(json, yDocToJSON(server));
  assert.deepEqual(
    json.content?.[0]?.content?.map((node) => [node.text, node.marks?.map((mark) => mark.type) ?? []]),
    [
      ['Look: The ', []],
      ['quick', [SUGGESTION_DELETE_MARK]],
      ['fast', [SUGGESTION_INSERT_MARK]],
      [' fox.', []],
    ],
  );
});

test('SUGGEST5 the inserted text takes the replaced text’s formatting; already-struck text and one’s own proposals are handled like the editor does', () => {
  const bob = { id: 'user-bob', name: 'Bob' };
  const doc = docWith([
    paragraph(
      text('Buy '),
      text('old', [{ type: 'bold' }, { type: SUGGESTION_DELETE_MARK, attrs: attrs('b1', bob) }]),
      text('mine', [{ type: 'bold' }, { type: SUGGESTION_INSERT_MARK, attrs: attrs('c0') }]),
      text(' now', [{ type: 'bold' }]),
    ),
  ]);
  // Cara replaces "oldmine now" with "new": Bob's deletion stays Bob's, her own "mine" goes away.
  writeSuggestion(doc, { ...range(doc, 0, 4, 15), text: 'new', author: cara, time, id: 'c1' }, null);
  const bold = { type: 'bold', attrs: {} };
  assert.deepEqual(yDocToJSON(doc).content?.[0], paragraph(
    text('Buy '),
    text('old', [bold, { type: SUGGESTION_DELETE_MARK, attrs: attrs('b1', bob) }]),
    text(' now', [bold, { type: SUGGESTION_DELETE_MARK, attrs: attrs('c1') }]),
    text('new', [bold, { type: SUGGESTION_INSERT_MARK, attrs: attrs('c1') }]),
  ));
});

test('SUGGEST5 a pure insertion and a pure deletion', () => {
  const doc = docWith([paragraph(text('Hello world'))]);
  writeSuggestion(doc, { ...range(doc, 0, 5, 5), text: ',', author: cara, time, id: 'i' }, null);
  writeSuggestion(doc, { ...range(doc, 0, 7, 12), text: '', author: cara, time, id: 'd' }, null);
  assert.deepEqual(yDocToJSON(doc).content?.[0], paragraph(
    text('Hello'),
    text(',', [{ type: SUGGESTION_INSERT_MARK, attrs: attrs('i') }]),
    text(' '),
    text('world', [{ type: SUGGESTION_DELETE_MARK, attrs: attrs('d') }]),
  ));
});

test('SUGGEST5 the writer refuses what a suggestion cannot be, and changes nothing', () => {
  const doc = docWith([paragraph(text('One')), paragraph(text('Two')), { type: 'codeBlock', content: [text('x = 1')] }]);
  const before = Y.encodeStateAsUpdate(doc);
  const one = range(doc, 0, 0, 3);
  const two = range(doc, 1, 0, 3);
  const code = range(doc, 2, 0, 1);
  const write = (input: Partial<Parameters<typeof writeSuggestion>[1]>) => () =>
    writeSuggestion(doc, { ...one, text: 'x', author: cara, ...input }, null);
  expectCode(write({ to: two.to }), 'range_spans_blocks');
  expectCode(write({ from: one.to, to: one.from }), 'range_reversed');
  expectCode(write({ from: one.from, to: one.from, text: '' }), 'empty_suggestion');
  expectCode(write({ text: 'a\nb' }), 'invalid_text');
  expectCode(write({ text: 'x'.repeat(MAX_SUGGESTION_TEXT_CHARS + 1) }), 'text_too_long');
  expectCode(write(code), 'marks_not_allowed');
  const foreign = new Y.Doc();
  foreign.getText('t').insert(0, 'abc');
  const elsewhere = Y.createRelativePositionFromTypeIndex(foreign.getText('t'), 1);
  expectCode(write({ from: elsewhere, to: elsewhere }), 'position_not_found');
  const other = new Y.Doc();
  other.getText('notes').insert(0, 'abc');
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  const notes = Y.createRelativePositionFromTypeIndex(doc.getText('notes'), 1);
  expectCode(write({ from: notes, to: notes }), 'position_not_found');
  // Only the unrelated root arrived; the content is as it was.
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, before);
  assert.deepEqual(yDocToJSON(doc), yDocToJSON(fresh));
});

test('SUGGEST6 export: HTML renders insertions as <ins> and deletions as <del> with author and time; Markdown as inline <ins>/<del>', () => {
  const json: JSONContent = {
    type: 'doc',
    content: [paragraph(text('The '), text('quick', [{ type: SUGGESTION_DELETE_MARK, attrs: attrs('s1') }]), text('fast', [{ type: SUGGESTION_INSERT_MARK, attrs: attrs('s1') }]), text(' fox.'))],
  };
  const html = toHTML(json);
  assert.match(html, /<del data-suggestion-id="s1" data-author-id="user-cara" data-author-name="Cara" datetime="2026-01-02T03:04:05.000Z" class="suggestion suggestion--delete" title="Suggested deletion by Cara">quick<\/del>/);
  assert.match(html, /<ins data-suggestion-id="s1"[^>]*class="suggestion suggestion--insert"[^>]*>fast<\/ins>/);
  assert.equal(toMarkdown(json).trim(), 'The <del>quick</del><ins>fast</ins> fox.');
});

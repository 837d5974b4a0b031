import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { DOCUMENT_FIELD, documentSchema, SUGGESTION_DELETE_MARK, SUGGESTION_INSERT_MARK } from '@copycloud/schema/extensions';
import { updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { editingModeOf, setEditingMode, suggestingPlugin, type EditingMode } from './suggesting-plugin.js';
import { listSuggestions, reviewSuggestions, suggestionAtSelection } from './review.js';

const schema = documentSchema();
const REMOTE = 'test:remote';

function author(id: string, name: string) {
  let next = 0;
  let clock = 0;
  // Every edit happens a second later: continuing a suggestion must keep its first time.
  return { authorId: id, authorName: name, now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, clock++)).toISOString(), newId: () => `${id}-${++next}` };
}

function stateWith(blocks: PMNode[], mode: EditingMode = 'suggesting', who = author('alice', 'Alice')): EditorState {
  return EditorState.create({
    schema,
    doc: schema.node('doc', null, blocks),
    plugins: [suggestingPlugin({ initialMode: mode, author: () => who, isOwnEdit: (tr) => !tr.getMeta(REMOTE) })],
  });
}

const p = (...content: (string | PMNode)[]) => schema.node('paragraph', null, content.map((c) => (typeof c === 'string' ? schema.text(c) : c)));

/** The document as text with [+inserted+] and [-deleted-] runs (suggestion ids after a colon). */
function show(doc: PMNode): string[] {
  const blocks: string[] = [];
  doc.forEach((block) => {
    let out = '';
    block.forEach((node) => {
      const ins = node.marks.find((m) => m.type.name === SUGGESTION_INSERT_MARK);
      const del = node.marks.find((m) => m.type.name === SUGGESTION_DELETE_MARK);
      let text = node.text ?? '';
      // One suggestion is one mark: its pieces are not split by differing attributes.
      if (ins) text = `[+${text}:${ins.attrs['id']}+]`;
      if (del) text = `[-${text}:${del.attrs['id']}-]`;
      out += text;
    });
    blocks.push(out);
  });
  return blocks;
}

/** Applies a user edit built on the current state, as the view would (appendTransaction runs). */
function edit(state: EditorState, build: (tr: Transaction) => Transaction): EditorState {
  return state.apply(build(state.tr));
}
const select = (from: number, to = from) => (tr: Transaction) => tr.setSelection(TextSelection.create(tr.doc, from, to));
const type = (text: string) => (tr: Transaction) => tr.insertText(text);
/** Backspace with an empty selection: deletes the character before the cursor. */
const backspace = (tr: Transaction) => tr.delete(tr.selection.from - 1, tr.selection.from);
/** Delete (forward) with an empty selection. */
const forwardDelete = (tr: Transaction) => tr.delete(tr.selection.from, tr.selection.from + 1);

test('SUGGEST1 in Suggesting mode, typing over a selection keeps the old text struck through and marks the new text, as one suggestion with author and time', () => {
  let state = stateWith([p('The quick fox.')]);
  state = edit(state, select(5, 10)); // "quick"
  for (const letter of 'fast') state = edit(state, type(letter));
  assert.deepEqual(show(state.doc), ['The [-quick:alice-1-][+fast:alice-1+] fox.']);
  assert.equal(state.selection.from, 14, 'the cursor is after the new text');
  const [suggestion] = listSuggestions(state.doc);
  assert.deepEqual(
    { ...suggestion },
    { id: 'alice-1', authorId: 'alice', authorName: 'Alice', time: '2026-01-02T03:04:00.000Z', inserted: 'fast', deleted: 'quick', from: 5, to: 14 },
  );
});

test('SUGGEST1 Backspace strikes the character before and steps over it; Delete strikes the one after; a run of them is one suggestion', () => {
  let state = stateWith([p('Hello world')]);
  state = edit(state, select(12)); // end
  state = edit(state, backspace);
  state = edit(state, backspace);
  assert.deepEqual(show(state.doc), ['Hello wor[-ld:alice-1-]']);
  assert.equal(state.selection.from, 10, 'the cursor stands before the struck text');
  // Backspace over text already struck steps over it without a new suggestion.
  state = edit(state, select(12));
  state = edit(state, backspace);
  assert.deepEqual(show(state.doc), ['Hello wor[-ld:alice-1-]']);
  assert.equal(state.selection.from, 11);

  state = edit(state, select(1));
  state = edit(state, forwardDelete);
  assert.deepEqual(show(state.doc), ['[-H:alice-2-]ello wor[-ld:alice-1-]']);
  assert.equal(state.selection.from, 2, 'after Delete the cursor is after the struck character');
});

test('SUGGEST1 deleting one’s own proposed text removes it; another person’s proposal gets a deletion suggestion on top', () => {
  let state = stateWith([p('Hi')]);
  state = edit(state, select(3));
  state = edit(state, type(' there'));
  state = edit(state, backspace);
  assert.deepEqual(show(state.doc), ['Hi[+ ther:alice-1+]']);

  // Bob (another editor) deletes part of Alice's insertion: it stays, struck, with his id.
  const bob = author('bob', 'Bob');
  let bobState = EditorState.create({
    schema,
    doc: state.doc,
    plugins: [suggestingPlugin({ initialMode: 'suggesting', author: () => bob, isOwnEdit: () => true })],
  });
  bobState = bobState.apply(bobState.tr.setSelection(TextSelection.create(bobState.doc, 4, 8)));
  bobState = bobState.apply(bobState.tr.deleteSelection());
  assert.deepEqual(show(bobState.doc), ['Hi[+ :alice-1+][-[+ther:alice-1+]:bob-1-]']);
});

test('SUGGEST1 Editing mode, remote changes and undo apply as they are; switching modes is a transaction', () => {
  let state = stateWith([p('Plain')], 'editing');
  state = edit(state, select(6));
  state = edit(state, type('!'));
  assert.deepEqual(show(state.doc), ['Plain!']);
  state = state.apply(setEditingMode(state.tr, 'suggesting'));
  assert.equal(editingModeOf(state), 'suggesting');
  // A change from elsewhere (y-tiptap's sync plugin) is not the person's own edit.
  state = state.apply(state.tr.insertText(' Remote', 7).setMeta(REMOTE, true));
  assert.deepEqual(show(state.doc), ['Plain! Remote']);
  state = edit(state, (tr) => tr.delete(1, 3));
  assert.deepEqual(show(state.doc), ['[-Pl:alice-1-]ain! Remote']);
});

test('SUGGEST1 structure is not suggested: Enter splits directly; a deletion across blocks strikes the text and keeps the blocks; code blocks are left alone', () => {
  let state = stateWith([p('One two'), p('Three four'), schema.node('codeBlock', null, [schema.text('x = 1')])]);
  // Select from "two" to "Three" and delete.
  state = edit(state, select(5, 15));
  state = edit(state, (tr) => tr.deleteSelection());
  assert.deepEqual(show(state.doc), ['One [-two:alice-1-]', '[-Three:alice-1-] four', 'x = 1']);
  // Enter in the middle of "four": a plain split.
  state = edit(state, select(18));
  state = edit(state, (tr) => tr.split(tr.selection.from));
  assert.equal(state.doc.childCount, 4);
  // Typing in the code block: refused (code blocks take no marks, so no suggestion could record it).
  const codeStart = state.doc.content.size - 'x = 1'.length - 1;
  state = edit(state, select(codeStart));
  state = edit(state, type('y'));
  assert.deepEqual(show(state.doc).at(-1), 'x = 1');
});

test('SUGGEST1 pasting several paragraphs inserts them marked', () => {
  let state = stateWith([p('Start end')]);
  state = edit(state, select(7));
  const slice = schema.node('doc', null, [p('A'), p('B')]).slice(1, 5, true);
  state = edit(state, (tr) => tr.replaceSelection(slice));
  assert.deepEqual(show(state.doc), ['Start [+A:alice-1+]', '[+B:alice-1+]end']);
});

test('SUGGEST2 accepting a replacement keeps the new text and drops the old; rejecting restores the original; the cursor finds the suggestion', () => {
  let state = stateWith([p('The quick fox.')]);
  state = edit(state, select(5, 10));
  state = edit(state, type('fast'));
  const atCursor = suggestionAtSelection(state);
  assert.equal(atCursor?.id, 'alice-1');

  const accepted = state.apply(reviewSuggestions(state, new Set(['alice-1']), 'accept'));
  assert.deepEqual(show(accepted.doc), ['The fast fox.']);
  const rejected = state.apply(reviewSuggestions(state, new Set(['alice-1']), 'reject'));
  assert.deepEqual(show(rejected.doc), ['The quick fox.']);
  // Accepting in Suggesting mode really deletes (the review transaction is not rewritten).
  assert.equal(editingModeOf(accepted), 'suggesting');
});

test('SUGGEST3 Accept all / Reject all act on every author’s suggestions, including a deletion proposed on a proposed insertion', () => {
  const attrs = (id: string, who: string) => ({ id, authorId: who, authorName: who, time: 't' });
  const ins = (id: string, who: string) => schema.marks[SUGGESTION_INSERT_MARK]!.create(attrs(id, who));
  const del = (id: string, who: string) => schema.marks[SUGGESTION_DELETE_MARK]!.create(attrs(id, who));
  const state = stateWith([
    p(schema.text('Keep '), schema.text('old', [del('a1', 'alice')]), schema.text('new', [ins('a1', 'alice')]), schema.text(' and '), schema.text('both', [ins('a2', 'alice'), del('b1', 'bob')]), schema.text('.')),
  ]);
  assert.deepEqual(listSuggestions(state.doc).map((s) => s.id), ['a1', 'b1', 'a2']);
  assert.deepEqual(show(state.apply(reviewSuggestions(state, 'all', 'accept')).doc), ['Keep new and .']);
  assert.deepEqual(show(state.apply(reviewSuggestions(state, 'all', 'reject')).doc), ['Keep old and .']);
  // Accepting only Alice's insertion leaves Bob's deletion on it.
  assert.deepEqual(show(state.apply(reviewSuggestions(state, new Set(['a2']), 'accept')).doc), ['Keep [-old:a1-][+new:a1+] and [-both:b1-].']);
});

test('SUGGEST1 in the shared Y.Doc a suggested deletion re-formats the text and deletes nothing: a position inside it still resolves', () => {
  let state = stateWith([p('The quick fox.')]);
  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment(DOCUMENT_FIELD);
  // Kept across updates, as y-tiptap's binding keeps it.
  const meta = { mapping: new Map(), isOMark: new Map() };
  updateYFragment(ydoc, fragment, state.doc, meta);
  const ytext = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const insideQuick = Y.createRelativePositionFromTypeIndex(ytext, 6); // The q|uick
  const deletions: number[] = [];
  ydoc.on('afterTransaction', (tr: Y.Transaction) => deletions.push(tr.deleteSet.clients.size));

  state = edit(state, select(5, 10));
  state = edit(state, type('fast'));
  updateYFragment(ydoc, fragment, state.doc, meta);
  assert.deepEqual(deletions, [0], 'one Yjs transaction, no deletions');
  const resolved = Y.createAbsolutePositionFromRelativePosition(insideQuick, ydoc);
  assert.equal(resolved?.type, ytext);
  assert.equal(resolved?.index, 6);
  assert.equal(ytext.toString().includes('quick'), true);
});

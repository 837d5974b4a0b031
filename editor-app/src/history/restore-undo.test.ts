import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, updateToContent, yDocToJSON, type JSONContent } from '@copycloud/schema';
import { clearUndoOnRestore } from './restore-undo.js';

const LOCAL = Symbol('local typing');
const paragraph = (text: string): JSONContent => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const textOf = (doc: Y.Doc) => (yDocToJSON(doc).content ?? []).map((p) => (p.content ?? []).map((t) => t.text).join('')).join('|');

/** A replica with one paragraph "Our product.", typed locally (tracked by its undo manager) and then edited to "Our service.". */
function editedReplica() {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  const undo = new Y.UndoManager(fragment, { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
  const text = new Y.XmlText();
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    fragment.insert(0, [p]);
    text.insert(0, 'Our product.');
  }, LOCAL);
  const v1 = Y.encodeStateAsUpdate(doc);
  doc.transact(() => text.delete(4, 'product.'.length), LOCAL);
  doc.transact(() => text.insert(4, 'service.'), LOCAL);
  return { doc, undo, v1 };
}

/** The restore the snapshots service computes against the stored state, arriving as a remote update. */
function restoreFromServer(doc: Y.Doc, content: JSONContent) {
  const update = updateToContent(Y.encodeStateAsUpdate(doc), content, 'restore', { versionId: 'v1', at: '2024-01-01T00:00:00.000Z' });
  Y.applyUpdate(doc, update, 'provider');
}

test('UNDO2 without the restore mark, undo after a restore duplicates text (the bug this prevents)', () => {
  const { doc, undo } = editedReplica();
  Y.applyUpdate(doc, updateToContent(Y.encodeStateAsUpdate(doc), paragraph('Our product.'), 'restore'), 'provider');
  assert.equal(textOf(doc), 'Our product.');
  undo.undo();
  assert.notEqual(textOf(doc), 'Our product.', 'the old stack items replay over the restored text');
});

test('UNDO2 a restore clears the undo and redo history; undo then changes nothing, and later typing is undoable', () => {
  const { doc, undo } = editedReplica();
  undo.undo();
  undo.redo();
  const stop = clearUndoOnRestore(doc, () => undo);
  restoreFromServer(doc, paragraph('Our product.'));
  assert.equal(textOf(doc), 'Our product.');
  assert.equal(undo.undoStack.length, 0);
  assert.equal(undo.redoStack.length, 0);
  undo.undo();
  assert.equal(textOf(doc), 'Our product.');

  const text = (doc.getXmlFragment(DOCUMENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  doc.transact(() => text.insert(text.length, '!'), LOCAL);
  undo.undo();
  assert.equal(textOf(doc), 'Our product.');
  stop();
});

test('UNDO2 ordinary remote edits leave the undo history alone', () => {
  const { doc, undo } = editedReplica();
  clearUndoOnRestore(doc, () => undo);
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const text = (other.getXmlFragment(DOCUMENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  text.insert(0, 'Bob: ');
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), 'provider');
  assert.equal(undo.undoStack.length, 3, 'typing, deletion, typing');
  undo.undo();
  assert.equal(textOf(doc), 'Bob: Our ');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getSchema } from '@tiptap/core';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, jsonToYState, yStateToJSON } from './index.js';
import { AI_AUTHORED_MARK, documentExtensions } from './extensions.js';

// The editor builds its schema from the same extensions (editor-app imports @copycloud/schema/extensions).
const editorSchema = getSchema(documentExtensions());
const attrs = { model: 'demo-model', time: '2026-11-22T05:00:00.000Z' };
const json = {
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Mine. ' }, { type: 'text', text: 'The AI’s.', marks: [{ type: AI_AUTHORED_MARK, attrs }] }] }],
};

test('text marked AI-authored by the editor keeps its mark and attributes through the Node schema (Yjs round trip)', () => {
  // Editor -> Y.Doc (as Collaboration stores it) -> Node schema JSON.
  const state = jsonToYState(json);
  assert.deepEqual(yStateToJSON(state), json);

  // Node schema -> Y.Doc -> the editor's schema, as a browser would load it.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const node = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(DOCUMENT_FIELD), editorSchema);
  const marked = node.firstChild!.child(1);
  assert.equal(marked.text, 'The AI’s.');
  assert.deepEqual(marked.marks.map((m) => [m.type.name, { ...m.attrs }]), [[AI_AUTHORED_MARK, attrs]]);
});

test('the mark is not inclusive: typing after accepted AI text is the person’s own', () => {
  assert.equal(editorSchema.marks[AI_AUTHORED_MARK]!.spec.inclusive, false);
});

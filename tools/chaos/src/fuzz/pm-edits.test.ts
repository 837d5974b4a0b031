import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSchema } from '@copycloud/schema';
import { editYDoc, fragmentJSON, type EditKind } from './pm-edits.js';
import { mulberry32 } from '../harness/random.js';
import { planConnectivity, playRound, schemaProblem } from '../scenarios/tiptap-convergence.js';

/** Peers editing in rounds and exchanging everything between rounds, in memory. */
function simulate(seed: number, rounds: number): { json: string; kinds: EditKind[] } {
  const random = mulberry32(seed);
  const docs = [1, 2, 3].map((id) => {
    const doc = new Y.Doc();
    doc.clientID = id;
    return doc;
  });
  const kinds: EditKind[] = [];
  for (let round = 0; round < rounds; round++) {
    planConnectivity([true, true, true], random, 2);
    for (const edit of playRound(docs, random)) if (edit.kind) kinds.push(edit.kind);
    const states = docs.map((d) => Y.encodeStateAsUpdate(d));
    for (const doc of docs) for (const state of states) Y.applyUpdate(doc, state);
  }
  return { json: JSON.stringify(fragmentJSON(docs[0]!, DOCUMENT_FIELD)), kinds };
}

test('editor edit generator: the same seed gives the same edits and the same merged content', () => {
  const a = simulate(42, 40);
  const b = simulate(42, 40);
  assert.deepEqual(a.kinds, b.kinds);
  assert.equal(a.json, b.json);
  assert.notEqual(simulate(43, 40).json, a.json);
});

test('editor edit generator: every kind of edit applies and leaves a schema-valid document', () => {
  const schema = documentSchema();
  const random = mulberry32(7);
  const doc = new Y.Doc();
  // Some content to work on first.
  for (let i = 0; i < 30; i++) editYDoc(doc, DOCUMENT_FIELD, schema, random, i % 3 === 0 ? 'split' : 'type');
  const kinds: EditKind[] = ['type', 'delete', 'delete-across', 'split', 'join', 'list', 'list-indent', 'heading', 'mark', 'unmark', 'link', 'blockquote', 'hard-break'];
  for (const kind of kinds) {
    let applied = false;
    for (let attempt = 0; attempt < 300 && !applied; attempt++) applied = editYDoc(doc, DOCUMENT_FIELD, schema, random, kind) !== null;
    assert.ok(applied, `${kind} never applied`);
    assert.equal(schemaProblem(doc), null, `after ${kind}`);
  }
  const json = JSON.stringify(fragmentJSON(doc, DOCUMENT_FIELD));
  assert.match(json, /"bold"|"italic"/);
  assert.match(json, /"link"/);
});

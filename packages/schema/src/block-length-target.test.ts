import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { BLOCK_LENGTH_TARGET_ATTRIBUTE, DOCUMENT_FIELD, jsonToYState, parseBlockLengthTarget, parseContent, toHTML, toMarkdown, yDocToJSON, yStateToJSON } from './index.js';

const DOC: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2, lengthTarget: 30 }, content: [{ type: 'text', text: 'Fresh coffee, daily' }] },
    { type: 'paragraph', attrs: { lengthTarget: 90 }, content: [{ type: 'text', text: 'Roasted in town.' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'No target here.' }] },
  ],
};

describe('COUNT6 a per-block length target is an attribute of the block in the shared schema', () => {
  test('it round-trips through Yjs (sync, storage, restore read the same state) and validates in the schema', () => {
    const json = yStateToJSON(jsonToYState(DOC));
    assert.deepEqual(json.content!.map((block) => block.attrs?.[BLOCK_LENGTH_TARGET_ATTRIBUTE] ?? null), [30, 90, null]);
    parseContent(json).check();
  });

  test('exports leave it out: no trace in HTML or Markdown', () => {
    assert.equal(toHTML(DOC), '<h2>Fresh coffee, daily</h2><p>Roasted in town.</p><p>No target here.</p>');
    assert.equal(toMarkdown(DOC).trim(), '## Fresh coffee, daily\n\nRoasted in town.\n\nNo target here.');
  });

  test('it follows its block through concurrent typing, and two people setting it converge on one value', () => {
    const alice = new Y.Doc();
    Y.applyUpdate(alice, jsonToYState(DOC));
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const block = (doc: Y.Doc, index: number) => doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement;

    // Bob types in the second block and inserts a block above it; Alice changes the second block's target meanwhile.
    (block(bob, 1).get(0) as Y.XmlText).insert(0, 'Now ');
    bob.getXmlFragment(DOCUMENT_FIELD).insert(1, [new Y.XmlElement('paragraph')]);
    block(alice, 1).setAttribute(BLOCK_LENGTH_TARGET_ATTRIBUTE, 155 as unknown as string);
    // Both set the first block's target at once.
    block(alice, 0).setAttribute(BLOCK_LENGTH_TARGET_ATTRIBUTE, 25 as unknown as string);
    block(bob, 0).setAttribute(BLOCK_LENGTH_TARGET_ATTRIBUTE, 35 as unknown as string);
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));

    const a = yDocToJSON(alice);
    assert.deepEqual(a, yDocToJSON(bob));
    const targeted = a.content!.map((b) => [b.content?.[0]?.text ?? '', b.attrs?.[BLOCK_LENGTH_TARGET_ATTRIBUTE] ?? null]);
    assert.deepEqual(targeted.slice(1), [
      ['', null],
      ['Now Roasted in town.', 155],
      ['No target here.', null],
    ]);
    assert.ok(targeted[0]![1] === 25 || targeted[0]![1] === 35, `one of the two values wins: ${targeted[0]![1]}`);

    // Deleting the block deletes its target: nothing is left behind elsewhere in the document.
    alice.getXmlFragment(DOCUMENT_FIELD).delete(2, 1);
    assert.deepEqual(yDocToJSON(alice).content!.map((b) => b.attrs?.[BLOCK_LENGTH_TARGET_ATTRIBUTE] ?? null), [targeted[0]![1], null, null]);
    assert.equal(alice.getMap('settings').size, 0);
  });

  test('a value that is not a whole number of characters in range reads as no target', () => {
    for (const bad of [0, -5, 2.5, '30', null, undefined, 1_000_001, Number.NaN]) assert.equal(parseBlockLengthTarget(bad), null, String(bad));
    assert.equal(parseBlockLengthTarget(1), 1);
    assert.equal(parseBlockLengthTarget(280), 280);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocksOf, countChanges, diffDocuments, diffWords, type JsonNode } from './version-diff.js';

const p = (text: string): JsonNode => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const doc = (...content: JsonNode[]): JsonNode => ({ type: 'doc', content });

test('blocks: headings, list items and code blocks are named; text joins marks', () => {
  const blocks = blocksOf(
    doc(
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Title' }] },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a ' }, { type: 'text', text: 'b', marks: [{ type: 'bold' }] } as JsonNode] }] }] },
      { type: 'codeBlock', content: [{ type: 'text', text: 'x = 1' }] },
    ),
  );
  assert.deepEqual(blocks, [
    { kind: 'heading 2', text: 'Title' },
    { kind: 'bullet item', text: 'a b' },
    { kind: 'code', text: 'x = 1' },
  ]);
});

test('word diff marks what was removed and added', () => {
  assert.deepEqual(diffWords('the quick fox', 'the slow fox'), [
    { op: 'same', text: 'the ' },
    { op: 'removed', text: 'quick' },
    { op: 'added', text: 'slow' },
    { op: 'same', text: ' fox' },
  ]);
});

test('document diff: unchanged, edited, added and removed blocks', () => {
  const now = doc(p('intro'), p('the quick fox'), p('gone'));
  const version = doc(p('intro'), p('the slow fox'), p('new one'));
  const changes = diffDocuments(now, version);
  assert.deepEqual(
    changes.map((c) => [c.op, c.block.text]),
    [
      ['same', 'intro'],
      ['changed', 'the slow fox'],
      ['changed', 'new one'],
    ],
  );
  assert.equal(countChanges(changes), 2);
  const removedOnly = diffDocuments(doc(p('a'), { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'h' }] }), doc(p('a')));
  assert.deepEqual(removedOnly.map((c) => c.op), ['same', 'removed']);
  assert.equal(countChanges(diffDocuments(now, now)), 0);
});

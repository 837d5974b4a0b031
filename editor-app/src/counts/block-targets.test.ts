import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import type { Node as PMNode } from '@tiptap/pm/model';
import { documentSchema, SUGGESTION_DELETE_MARK } from '@copycloud/schema/extensions';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { blockAtCursor, blockTargets, blockTargetsPlugin, setBlockTarget } from './block-targets.js';

const schema = documentSchema();
const deleted = schema.marks[SUGGESTION_DELETE_MARK]!.create({ id: 's1', authorId: 'u1', authorName: 'Bob', time: '2026-01-01T00:00:00Z' });
const doc = schema.node('doc', null, [
  schema.node('heading', { level: 1, lengthTarget: 30 }, [schema.text('Fresh coffee, daily')]),
  schema.node('paragraph', { lengthTarget: 10 }, [schema.text('Roasted in town 🇩🇪'), schema.text(' today', [deleted])]),
  schema.node('paragraph', null, [schema.text('No target')]),
  schema.node('codeBlock', null, [schema.text('code')]),
  schema.node('bulletList', null, [schema.node('listItem', null, [schema.node('paragraph', { lengthTarget: 5 }, [schema.text('Item!')])])]),
]);
const cursorIn = (node: PMNode, text: string) => {
  let at = -1;
  node.descendants((child, pos) => {
    if (at < 0 && child.isText && child.text!.includes(text)) at = pos + child.text!.indexOf(text);
  });
  return EditorState.create({ doc: node, selection: TextSelection.create(node, at) });
};

test('COUNT6 every block with a target is counted like the document (graphemes, proposed deletions left out); over is past the limit, the limit itself is within', () => {
  assert.deepEqual(
    blockTargets(doc).map(({ characters, limit, state }) => ({ characters, limit, state })),
    [
      { characters: 19, limit: 30, state: 'within' },
      { characters: 17, limit: 10, state: 'over' },
      { characters: 5, limit: 5, state: 'within' },
    ],
  );
});

test('COUNT6 the block at the cursor: paragraphs and headings (also in lists), not code blocks', () => {
  assert.deepEqual(blockAtCursor(cursorIn(doc, 'coffee')), { pos: 0, limit: 30, characters: 19 });
  assert.equal(blockAtCursor(cursorIn(doc, 'No target'))?.limit, null);
  assert.equal(blockAtCursor(cursorIn(doc, 'Item'))?.limit, 5);
  assert.equal(blockAtCursor(cursorIn(doc, 'code')), null);
});

test('COUNT6 setting a block target is one transaction on that block only; null clears it; a bad value is refused', () => {
  const state = cursorIn(doc, 'No target');
  const block = blockAtCursor(state)!;
  const set = state.apply(setBlockTarget(state.tr, block.pos, 8));
  assert.deepEqual(blockTargets(set.doc).map((t) => [t.characters, t.limit, t.state]), [
    [19, 30, 'within'],
    [17, 10, 'over'],
    [9, 8, 'over'],
    [5, 5, 'within'],
  ]);
  const cleared = set.apply(setBlockTarget(set.tr, 0, null));
  assert.equal(blockTargets(cleared.doc).length, 3);
  assert.throws(() => setBlockTarget(state.tr, block.pos, 0), RangeError);
  assert.throws(() => setBlockTarget(state.tr, block.pos, 2.5), RangeError);
  let codeBlockPos = -1;
  doc.descendants((node, pos) => {
    if (node.type.name === 'codeBlock') codeBlockPos = pos;
  });
  assert.throws(() => setBlockTarget(state.tr, codeBlockPos, 10), /no paragraph or heading/);
});

test('COUNT6 a block turned into a heading (or back) keeps its target, unless the change came through Yjs', () => {
  const withPlugin = EditorState.create({ doc, plugins: [blockTargetsPlugin()] });
  const paragraph = doc.child(1);
  const pos = doc.child(0).nodeSize;
  const toHeading = withPlugin.apply(withPlugin.tr.setBlockType(pos + 1, pos + 1, schema.nodes['heading']!, { level: 2 }));
  assert.equal(toHeading.doc.child(1).type.name, 'heading');
  assert.equal(toHeading.doc.child(1).attrs['lengthTarget'], 10);
  assert.equal(toHeading.doc.child(1).textContent, paragraph.textContent);
  const back = toHeading.apply(toHeading.tr.setBlockType(pos + 1, pos + 1, schema.nodes['paragraph']!));
  assert.equal(back.doc.child(1).attrs['lengthTarget'], 10);
  // A block without a target stays without one; a remote change is not touched.
  const untouched = withPlugin.apply(withPlugin.tr.setBlockType(pos + paragraph.nodeSize + 1, pos + paragraph.nodeSize + 1, schema.nodes['heading']!, { level: 3 }));
  assert.equal(untouched.doc.child(2).attrs['lengthTarget'], null);
  const remote = withPlugin.apply(withPlugin.tr.setBlockType(pos + 1, pos + 1, schema.nodes['heading']!, { level: 2 }).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
  assert.equal(remote.doc.child(1).attrs['lengthTarget'], null);
});

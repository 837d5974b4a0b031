import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { documentSchema } from '@copycloud/schema/extensions';
import { listItemTypeAt } from './list-keys.js';

const schema = documentSchema();
const text = (t: string) => ({ type: 'text', text: t });
const para = (t: string) => ({ type: 'paragraph', content: [text(t)] });
const doc = schema.nodeFromJSON({
  type: 'doc',
  content: [
    para('Intro'),
    { type: 'bulletList', content: [{ type: 'listItem', content: [para('First')] }, { type: 'listItem', content: [para('Second')] }] },
    { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: false }, content: [para('Task')] }] },
  ],
});

/** A state with the cursor right after the first occurrence of `after`. */
function cursorAfter(after: string): EditorState {
  let at = -1;
  doc.descendants((node, pos) => {
    if (at < 0 && node.isText && node.text!.includes(after)) at = pos + node.text!.indexOf(after) + after.length;
  });
  return EditorState.create({ doc, selection: TextSelection.create(doc, at) });
}

test('AIUX1 the cursor in a bullet or task item is in a list (Tab indents there); in a paragraph it is not', () => {
  assert.equal(listItemTypeAt(cursorAfter('Intro')), null);
  assert.equal(listItemTypeAt(cursorAfter('Second'))?.name, 'listItem');
  assert.equal(listItemTypeAt(cursorAfter('Task'))?.name, 'taskItem');
});

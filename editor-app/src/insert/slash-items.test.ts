import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterSlashItems, moveHighlight, opensSlashMenu, SLASH_ITEMS } from './slash-items.js';

test('EDITOR1 an empty query lists every block in menu order', () => {
  assert.deepEqual(
    filterSlashItems('').map((item) => item.kind),
    SLASH_ITEMS.map((item) => item.kind),
  );
  assert.equal(SLASH_ITEMS.length, 11);
});

test('EDITOR1 a query matches title words first, then keywords, ignoring case', () => {
  assert.deepEqual(
    filterSlashItems('head').map((item) => item.kind),
    ['heading-1', 'heading-2', 'heading-3'],
  );
  assert.deepEqual(
    filterSlashItems('TAB').map((item) => item.kind),
    ['table'],
  );
  assert.deepEqual(
    filterSlashItems('list').map((item) => item.kind),
    ['bullet-list', 'ordered-list', 'task-list'],
  );
  assert.deepEqual(
    filterSlashItems('todo').map((item) => item.kind),
    ['task-list'],
  );
  // "code" is a title word of "Code block" and nothing else's keyword comes first.
  assert.equal(filterSlashItems('code')[0]?.kind, 'code-block');
  assert.deepEqual(filterSlashItems('zzz'), []);
});

test('EDITOR1 the highlight wraps around at both ends', () => {
  assert.equal(moveHighlight(0, 1, 3), 1);
  assert.equal(moveHighlight(2, 1, 3), 0);
  assert.equal(moveHighlight(0, -1, 3), 2);
  assert.equal(moveHighlight(5, 1, 0), 0);
});

test('EDITOR1 "/" opens the menu only at the start of an otherwise empty paragraph', () => {
  assert.equal(opensSlashMenu({ type: 'paragraph', text: '/' }), true);
  assert.equal(opensSlashMenu({ type: 'paragraph', text: '/tab' }), true);
  assert.equal(opensSlashMenu({ type: 'paragraph', text: 'and/or' }), false);
  assert.equal(opensSlashMenu({ type: 'paragraph', text: 'x /' }), false);
  assert.equal(opensSlashMenu({ type: 'paragraph', text: '/a b' }), false);
  assert.equal(opensSlashMenu({ type: 'codeBlock', text: '/' }), false);
  assert.equal(opensSlashMenu({ type: 'heading', text: '/' }), false);
});

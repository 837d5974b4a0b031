import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canRename, tabTitle, titleEditOf, TITLE_MAX_CHARS } from './title-edit.js';

describe('renaming from the document header', () => {
  test('a changed, trimmed title is saved; the same or an empty one is not sent', () => {
    assert.deepEqual(titleEditOf('  Launch copy  ', 'Old'), { kind: 'save', title: 'Launch copy' });
    assert.deepEqual(titleEditOf('Old ', 'Old'), { kind: 'unchanged' });
    assert.deepEqual(titleEditOf('   ', 'Old'), { kind: 'unchanged' });
  });

  test('titles the server would refuse get a clear message before any request', () => {
    assert.equal(titleEditOf('x'.repeat(TITLE_MAX_CHARS), '').kind, 'save');
    assert.deepEqual(titleEditOf('x'.repeat(TITLE_MAX_CHARS + 1), ''), { kind: 'invalid', message: 'A title can be at most 200 characters.' });
    assert.equal(titleEditOf('Line\nbreak', '').kind, 'invalid');
    assert.equal(titleEditOf('Bell\u0007', '').kind, 'invalid');
  });

  test('only editors and owners with a writable document rename', () => {
    assert.deepEqual(
      (['owner', 'editor', 'commenter', 'viewer', null] as const).map((role) => canRename(role, false)),
      [true, true, false, false, false],
    );
    assert.equal(canRename('owner', true), false, 'not after access was lost');
    assert.equal(tabTitle('Launch copy'), 'Launch copy – Copycloud');
  });
});

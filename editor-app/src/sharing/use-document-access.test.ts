import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessViewOf } from './use-document-access.js';

describe('document access view', () => {
  test('a viewer or commenter opens read-only; an editor or owner can write', () => {
    for (const role of ['viewer', 'commenter'] as const) {
      assert.deepEqual(accessViewOf({ kind: 'member', role }, 'granted'), { view: 'open', role, readOnly: true, lostAccess: false });
    }
    for (const role of ['owner', 'editor'] as const) {
      assert.deepEqual(accessViewOf({ kind: 'member', role }, 'unknown'), { view: 'open', role, readOnly: false, lostAccess: false });
    }
  });

  test('a member the node closes the document for has lost access and cannot type', () => {
    assert.deepEqual(accessViewOf({ kind: 'member', role: 'editor' }, 'denied'), { view: 'open', role: 'editor', readOnly: true, lostAccess: true });
  });

  test('not a member: wait for the node, then the no-access page (or the editor on an open node)', () => {
    assert.deepEqual(accessViewOf({ kind: 'not-member' }, 'unknown'), { view: 'checking' });
    assert.deepEqual(accessViewOf({ kind: 'not-member' }, 'denied'), { view: 'no-access' });
    assert.deepEqual(accessViewOf({ kind: 'not-member' }, 'granted'), { view: 'open', role: null, readOnly: false, lostAccess: false });
  });

  test('offline (no API answer) opens local-first and editable', () => {
    assert.deepEqual(accessViewOf({ kind: 'unknown' }, 'unknown'), { view: 'open', role: null, readOnly: false, lostAccess: false });
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessViewOf, type NodeView } from './use-document-access.js';

const node = (access: NodeView['access'], extra: Partial<NodeView> = {}): NodeView => ({ access, liveRole: null, deleted: false, ...extra });
const opened = { view: 'open', lostAccess: false, demoted: false, deleted: false } as const;

describe('document access view', () => {
  test('a viewer or commenter opens read-only; an editor or owner can write', () => {
    for (const role of ['viewer', 'commenter'] as const) {
      assert.deepEqual(accessViewOf({ kind: 'member', role }, node('granted')), { ...opened, role, readOnly: true });
    }
    for (const role of ['owner', 'editor'] as const) {
      assert.deepEqual(accessViewOf({ kind: 'member', role }, node('unknown')), { ...opened, role, readOnly: false });
    }
  });

  test('a member the node closes the document for has lost access and cannot type', () => {
    assert.deepEqual(accessViewOf({ kind: 'member', role: 'editor' }, node('denied')), { ...opened, role: 'editor', readOnly: true, lostAccess: true });
  });

  test('not a member: wait for the node, then the no-access page (or the editor on an open node)', () => {
    assert.deepEqual(accessViewOf({ kind: 'not-member' }, node('unknown')), { view: 'checking' });
    assert.deepEqual(accessViewOf({ kind: 'not-member' }, node('denied')), { view: 'no-access' });
    assert.deepEqual(accessViewOf({ kind: 'not-member' }, node('granted')), { ...opened, role: null, readOnly: false });
  });

  test('offline (no API answer) opens local-first and editable', () => {
    assert.deepEqual(accessViewOf({ kind: 'unknown' }, node('unknown')), { ...opened, role: null, readOnly: false });
  });

  test('EDIT1 a role pushed by the node wins over the API answer: demoted is read-only, promoted again is writable', () => {
    assert.deepEqual(accessViewOf({ kind: 'member', role: 'editor' }, node('granted', { liveRole: 'viewer' })), {
      ...opened,
      role: 'viewer',
      readOnly: true,
      demoted: true,
    });
    assert.deepEqual(accessViewOf({ kind: 'member', role: 'editor' }, node('granted', { liveRole: 'editor' })), { ...opened, role: 'editor', readOnly: false });
  });

  test('EDIT6 deleted while open is read-only and deleted, not "lost access", once the node closes it too', () => {
    assert.deepEqual(accessViewOf({ kind: 'member', role: 'owner' }, node('denied', { deleted: true })), {
      ...opened,
      role: 'owner',
      readOnly: true,
      deleted: true,
    });
    // The API now answers 404 for it: still described as deleted, not as the no-access page.
    assert.equal(accessViewOf({ kind: 'not-member' }, node('denied', { deleted: true })).view, 'open');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { documentTitle, isReadOnlyRole, relativeTime } from './documents-api.js';

describe('document list helpers', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');

  test('relative times read naturally', () => {
    assert.equal(relativeTime('2026-03-10T11:59:30Z', now, 'en'), 'just now');
    assert.equal(relativeTime('2026-03-10T11:55:00Z', now, 'en'), '5 minutes ago');
    assert.equal(relativeTime('2026-03-10T09:00:00Z', now, 'en'), '3 hours ago');
    assert.equal(relativeTime('2026-03-09T10:00:00Z', now, 'en'), 'yesterday');
    assert.equal(relativeTime('2026-01-02T10:00:00Z', now, 'en'), 'Jan 2, 2026');
  });

  test('an empty title shows as untitled', () => {
    assert.equal(documentTitle({ title: '  ' }), 'Untitled document');
    assert.equal(documentTitle({ title: 'Launch copy' }), 'Launch copy');
  });

  test('viewers and commenters are read-only, editors and owners are not', () => {
    assert.deepEqual(
      (['owner', 'editor', 'commenter', 'viewer'] as const).map(isReadOnlyRole),
      [false, false, true, true],
    );
  });
});

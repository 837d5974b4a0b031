import { test } from 'node:test';
import assert from 'node:assert/strict';
// The sidecar's list, by path (test only): the menu must not drift from what the server accepts.
import { REWRITE_KINDS } from '../../../services/ai/src/prompt/prompt.js';
import type { RewriteKind } from './ai-client.js';
import { headlineVariants, REWRITE_ACTIONS } from './rewrite.js';

test('headline variants are the non-empty lines, trimmed', () => {
  assert.deepEqual(headlineVariants('  Launch faster\n\nWrite together \r\nShip campaigns people love\n'), ['Launch faster', 'Write together', 'Ship campaigns people love']);
  assert.deepEqual(headlineVariants(''), []);
});

test('headline variants drop list markers and surrounding quotes a model may add anyway', () => {
  assert.deepEqual(headlineVariants('1. "Launch faster"\n2) Write together\n- “Ship it”\n* 2026: the year of copy'), ['Launch faster', 'Write together', 'Ship it', '2026: the year of copy']);
  assert.deepEqual(headlineVariants("Don't wait'"), ["Don't wait'"], 'an apostrophe inside is not a quote');
});

test('the menu offers every preset the sidecar accepts, once each (custom is the free-text field)', () => {
  const offered: RewriteKind[] = [...REWRITE_ACTIONS.map((a) => a.kind), 'custom'];
  assert.deepEqual([...offered].sort(), [...REWRITE_KINDS].sort());
});

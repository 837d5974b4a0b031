import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { mergeUpdatesBalanced } from './merge-updates.js';

test('a balanced merge of many updates from several clients equals applying them one by one', () => {
  const peers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const updates: Uint8Array[] = [];
  for (const peer of peers) peer.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < 1_000; i++) {
    const peer = peers[i % peers.length]!;
    const text = peer.getText('t');
    if (i % 9 === 8 && text.length > 0) text.delete(0, 1);
    else text.insert(text.length, String(i % 10));
    // Let the peers see each other now and then, so updates depend on one another.
    if (i % 50 === 49) for (const a of peers) for (const b of peers) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  }
  const expected = new Y.Doc();
  for (const u of updates) Y.applyUpdate(expected, u);
  const merged = new Y.Doc();
  Y.applyUpdate(merged, mergeUpdatesBalanced(updates));
  assert.equal(merged.getText('t').toString(), expected.getText('t').toString());
  assert.deepEqual(Y.encodeStateVector(merged), Y.encodeStateVector(expected));
  assert.throws(() => mergeUpdatesBalanced([]), /nothing to merge/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DurableClocks } from './durable-clocks.js';

test('STORE10 durable clocks claim only a contiguous committed prefix per client', () => {
  const clocks = new DurableClocks();
  clocks.addStateVector(new Map([[1, 5]]));
  clocks.add(1, 8, 10); // committed out of order (a takeover stored a later range first)
  assert.equal(clocks.get(1), 5, 'a gap [5, 8) is not claimed');
  clocks.add(1, 5, 8);
  assert.equal(clocks.get(1), 10, 'the parked range joins once the gap is filled');
  clocks.addRanges(new Map([[2, [[0, 3], [4, 6]]]]));
  assert.equal(clocks.get(2), 3);
  // A peer knows [0, 4) is committed: client 2 advances past it (the parked
  // [4, 6) joins), client 1 does not (already beyond).
  assert.deepEqual(clocks.addStateVector(new Map([[2, 4], [1, 7]])), new Set([2]));
  assert.equal(clocks.get(2), 6);
  assert.deepEqual(clocks.addStateVector(new Map([[2, 4]])), new Set(), 'nothing new, nothing advanced');
  clocks.add(1, 2, 4); // already covered: nothing moves back
  assert.equal(clocks.get(1), 10);
  assert.deepEqual(Y.decodeStateVector(clocks.encode()), new Map([[1, 10], [2, 6]]));
});

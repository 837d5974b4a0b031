import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { countPendingChanges, decodeStateVector, mergeStateVectors, stateVectorOf } from './pending-changes.js';

describe('pending change count', () => {
  test('counts local clocks beyond the durable clock, for local authors only', () => {
    const local = new Map([
      [1, 10], // mine, 4 durable
      [2, 7], // mine from before a reload, nothing durable yet
      [3, 50], // someone else's: never mine to save
    ]);
    const durable = new Map([
      [1, 4],
      [3, 0],
    ]);
    assert.equal(countPendingChanges(local, durable, new Set([1, 2])), 6 + 7);
  });

  test('a durable clock ahead of the local one never goes negative', () => {
    // The stored durable vector can be ahead of this tab's doc, e.g. an ack
    // another tab of the same document recorded in the shared record.
    assert.equal(countPendingChanges(new Map([[1, 3]]), new Map([[1, 9]]), new Set([1])), 0);
  });

  test('an author with no local state counts nothing', () => {
    assert.equal(countPendingChanges(new Map(), new Map(), new Set([42])), 0);
  });

  test('works on real Yjs state vectors: edits are pending until the server vector covers them', () => {
    const mine = new Y.Doc();
    const theirs = new Y.Doc();
    theirs.getText('t').insert(0, 'hello'); // 5 structs by someone else
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    mine.getText('t').insert(5, ' world'); // 6 by me
    const authors = new Set([mine.clientID]);

    assert.equal(countPendingChanges(stateVectorOf(mine), new Map(), authors), 6);

    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(mine));
    const ack = decodeStateVector(Y.encodeStateVector(server));
    assert.equal(countPendingChanges(stateVectorOf(mine), ack, authors), 0);

    mine.getText('t').insert(0, '>');
    assert.equal(countPendingChanges(stateVectorOf(mine), ack, authors), 1);
  });

  test('merging acknowledgements keeps the larger clock per client', () => {
    const merged = mergeStateVectors(
      new Map([
        [1, 5],
        [2, 9],
      ]),
      new Map([
        [1, 7],
        [2, 3],
        [3, 1],
      ]),
    );
    assert.deepEqual(
      [...merged].sort((a, b) => a[0] - b[0]),
      [
        [1, 7],
        [2, 9],
        [3, 1],
      ],
    );
  });
});

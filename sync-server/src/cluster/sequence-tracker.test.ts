import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceTracker } from './sequence-tracker.js';

test('CLUSTER4 sequence tracker: a hole in a peer\'s sequence is a gap; duplicates and late arrivals are not', () => {
  const tracker = new SequenceTracker();
  assert.equal(tracker.receiveUpdate('a', 1), false, 'first contact at 1');
  assert.equal(tracker.receiveUpdate('a', 2), false);
  assert.equal(tracker.receiveUpdate('a', 4), true, '3 was lost');
  assert.equal(tracker.receiveUpdate('a', 3), false, '3 arrives late (reordered): no second heal');
  assert.equal(tracker.receiveUpdate('a', 4), false, 'a duplicate');
  assert.equal(tracker.receiveUpdate('a', 5), false, 'in order after the late one');
  assert.equal(tracker.receiveUpdate('b', 3), true, 'first contact after its first updates: we missed 1 and 2');
  assert.deepEqual(tracker.seen, new Map([['a', 5], ['b', 3]]));
});

test('CLUSTER4 sequence tracker: a digest announcing a seq never received is a trailing loss, once', () => {
  const tracker = new SequenceTracker();
  tracker.receiveUpdate('a', 1);
  assert.equal(tracker.receiveDigest('a', 1), false, 'nothing missing');
  assert.equal(tracker.receiveDigest('a', 3), true, '2 and 3 were lost at the end');
  assert.equal(tracker.receiveDigest('a', 3), false, 'the next digest is not another loss (the heal was asked for)');
  assert.equal(tracker.receiveUpdate('a', 4), false, 'the digest moved the expected seq');
  assert.equal(tracker.receiveDigest('c', 0), false, 'a peer that never published');
});

test('CLUSTER4 sequence tracker: our seq, and whether a peer has every update we sent', () => {
  const tracker = new SequenceTracker();
  assert.equal(tracker.peerHasAllSent(0), true);
  assert.equal(tracker.next(), 1);
  assert.equal(tracker.next(), 2);
  assert.equal(tracker.sent, 2);
  assert.equal(tracker.peerHasAllSent(1), false, 'our 2 is in flight to it');
  assert.equal(tracker.peerHasAllSent(2), true);
});

test('STORE10 sequence tracker: the durable mark moves to the last cut only when its batch commits', () => {
  const tracker = new SequenceTracker();
  tracker.next();
  tracker.next();
  assert.equal(tracker.markCommitted(), false, 'nothing cut yet');
  tracker.markCut();
  tracker.next(); // published after the cut: not in that batch
  assert.equal(tracker.durable, 0, 'cut is not committed');
  assert.equal(tracker.markCommitted(), true);
  assert.equal(tracker.durable, 2, 'up to the cut, not the update published after it');
  assert.equal(tracker.markCommitted(), false, 'a commit with no new cut announces nothing');
  tracker.markCut();
  assert.equal(tracker.markCommitted(), true);
  assert.equal(tracker.durable, 3);
});

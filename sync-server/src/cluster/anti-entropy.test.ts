import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { assessDigest, digestMessage, isShared, lacksSomething, stateDigest } from './anti-entropy.js';
import { SequenceTracker } from './sequence-tracker.js';

/** Two replicas holding "abc", in sync. */
function twoReplicas(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  a.getText('t').insert(0, 'abc');
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

test('CLUSTER4 state digest: equal for equal states; a deletion (which leaves the state vector alone) changes it', () => {
  const [a, b] = twoReplicas();
  assert.deepEqual(stateDigest(a), stateDigest(b));
  b.getText('t').delete(1, 1);
  assert.deepEqual(Y.encodeStateVector(a), Y.encodeStateVector(b), 'same state vectors');
  assert.notDeepEqual(stateDigest(a), stateDigest(b));
});

test('CLUSTER4 digest: a seq we never received is a trailing loss; a real divergence is a mismatch', () => {
  const [ours, theirs] = twoReplicas();
  const ourSequence = new SequenceTracker();
  ourSequence.next(); // we published 1 update, which the peer saw
  const theirSequence = new SequenceTracker();
  theirSequence.receiveUpdate('us', 1);
  theirSequence.next();
  theirSequence.next();

  const local = { self: 'us', doc: ours, sequence: ourSequence, unpublished: false };
  assert.equal(assessDigest(digestMessage('peer', theirs, theirSequence), local), 'trailing-loss', 'it published 2 we never got');
  assert.equal(assessDigest(digestMessage('peer', theirs, theirSequence), local), undefined, 'same state, seq now known');
  theirs.getText('t').delete(0, 1); // a deletion whose update we lost (no seq moved)
  assert.equal(assessDigest(digestMessage('peer', theirs, theirSequence), local), 'digest-mismatch');
});

test('CLUSTER4 digest: no mismatch while our own updates are unpublished or in flight to the sender', () => {
  const [ours, theirs] = twoReplicas();
  const ourSequence = new SequenceTracker();
  const theirSequence = new SequenceTracker();
  ours.getText('t').insert(3, 'd'); // applied here, in our outbox
  const local = { self: 'us', doc: ours, sequence: ourSequence, unpublished: true };
  assert.equal(assessDigest(digestMessage('peer', theirs, theirSequence), local), undefined, 'the outbox explains the difference');
  ourSequence.next(); // published as our update 1, not yet received by the peer
  assert.equal(assessDigest(digestMessage('peer', theirs, theirSequence), { ...local, unpublished: false }), undefined, 'in flight explains it');
  theirSequence.receiveUpdate('us', 1);
  assert.equal(assessDigest(digestMessage('peer', theirs, theirSequence), { ...local, unpublished: false }), 'digest-mismatch', 'it saw our update and still differs');
  Y.applyUpdate(theirs, Y.encodeStateAsUpdate(ours, Y.encodeStateVector(theirs)));
  assert.equal(assessDigest(digestMessage('peer', theirs, theirSequence), { ...local, unpublished: false }), undefined, 'once it has it');
});

test('CLUSTER4 anti-entropy: a state vector ahead of ours is something to ask for; a document is shared for three intervals after a peer spoke', () => {
  const [a, b] = twoReplicas();
  assert.equal(lacksSomething(a, Y.encodeStateVector(b)), false);
  b.getText('t').insert(0, 'x');
  assert.equal(lacksSomething(a, Y.encodeStateVector(b)), true);
  assert.equal(lacksSomething(b, Y.encodeStateVector(a)), false, 'b holds all a has');
  assert.equal(isShared(1_000, 1_000 + 3 * 200, 200), true);
  assert.equal(isShared(1_000, 1_001 + 3 * 200, 200), false);
  assert.equal(isShared(0, 10_000, 200), false, 'no peer ever heard from');
});

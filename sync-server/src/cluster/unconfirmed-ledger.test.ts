import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnconfirmedLedger } from './unconfirmed-ledger.js';

const update = (n: number) => Uint8Array.of(n);

test('STORE10 unconfirmed ledger: a peer\'s updates are held until its durableSeq or Durable notice covers them', () => {
  const ledger = new UnconfirmedLedger();
  ledger.hold('a', 1, update(1), 0, 100);
  ledger.hold('a', 2, update(2), 0, 101);
  ledger.hold('b', 1, update(9), 0, 102);
  assert.equal(ledger.senders, 2);
  ledger.hold('a', 3, update(3), 1, 103); // a's third update says its first is committed
  ledger.confirm('b', 1); // b's Durable notice
  assert.equal(ledger.senders, 1, 'b has nothing held any more');
  assert.deepEqual(ledger.take(), [{ sender: 'a', updates: [update(2), update(3)] }], 'a\'s 1 was forgotten');
  assert.equal(ledger.senders, 0, 'taken is gone');
  ledger.confirm('c', 5); // a notice from a peer we hold nothing from
  assert.deepEqual(ledger.take(), []);
});

test('STORE10 unconfirmed ledger: takeover takes what was received at or before the cutoff, oldest first, per sender', () => {
  const ledger = new UnconfirmedLedger();
  ledger.hold('a', 1, update(1), 0, 100);
  ledger.hold('a', 2, update(2), 0, 200);
  ledger.hold('b', 1, update(7), 0, 150);
  assert.deepEqual(ledger.take(99), [], 'nothing old enough');
  assert.deepEqual(ledger.take(150), [
    { sender: 'a', updates: [update(1)] },
    { sender: 'b', updates: [update(7)] },
  ]);
  // A late confirmation of what was taken is harmless; what is left is still held.
  ledger.confirm('a', 1);
  assert.deepEqual(ledger.take(), [{ sender: 'a', updates: [update(2)] }]);
});

test('STORE10 unconfirmed ledger: beyond the bound the oldest updates are handed back to be stored at once', () => {
  const ledger = new UnconfirmedLedger(2);
  assert.equal(ledger.hold('a', 1, update(1), 0, 0), undefined);
  assert.equal(ledger.hold('a', 2, update(2), 0, 0), undefined);
  assert.deepEqual(ledger.hold('a', 3, update(3), 0, 0), { sender: 'a', updates: [update(1)] });
  assert.equal(ledger.hold('a', 4, update(4), 2, 0), undefined, 'a confirmation in the same update makes room first');
  assert.deepEqual(ledger.take(), [{ sender: 'a', updates: [update(3), update(4)] }]);
});

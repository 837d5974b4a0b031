import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DURABLE_NOTICE_MS, type DurableNotice, DurableNotices } from './durable-notices.js';
import { ManualScheduler } from './scheduler.js';
import { SequenceTracker } from './sequence-tracker.js';

function setup() {
  const scheduler = new ManualScheduler(0);
  const sequence = new SequenceTracker();
  const sent: DurableNotice[] = [];
  const notices = new DurableNotices(sequence, scheduler, (notice) => sent.push(notice));
  return { scheduler, sequence, sent, notices };
}

test('STORE10 durable notices: a commit is announced once per period, with the seq of the cut and the vector read at commit', () => {
  const { scheduler, sequence, sent, notices } = setup();
  sequence.next();
  sequence.markCut();
  let reads = 0;
  notices.committed(() => {
    reads += 1;
    return Uint8Array.of(1);
  }, true);
  assert.equal(reads, 1, 'read at commit, not when the notice leaves');
  assert.equal(notices.waiting, true);
  sequence.next();
  sequence.markCut();
  notices.committed(() => Uint8Array.of(2), true); // a second commit within the period joins the waiting notice
  scheduler.advance(DURABLE_NOTICE_MS);
  assert.deepEqual(sent, [{ seq: 2, stateVector: Uint8Array.of(2) }]);
  assert.equal(notices.waiting, false);
  notices.committed(() => Uint8Array.of(3), true);
  scheduler.advance(DURABLE_NOTICE_MS);
  assert.equal(sent.length, 1, 'no new cut, nothing new to announce');
});

test('STORE10 durable notices: none while no peer was heard from; an unload sends the waiting one at once; no vector, no vector field', () => {
  const { scheduler, sequence, sent, notices } = setup();
  sequence.next();
  sequence.markCut();
  notices.committed(() => undefined, false);
  scheduler.advance(DURABLE_NOTICE_MS * 10);
  assert.deepEqual(sent, [], 'nobody holds our updates');
  sequence.next();
  sequence.markCut();
  notices.committed(() => undefined, true);
  notices.sendNow();
  assert.deepEqual(sent, [{ seq: 2 }]);
  scheduler.advance(DURABLE_NOTICE_MS);
  assert.equal(sent.length, 1, 'the scheduled one was cancelled');
  sequence.next();
  sequence.markCut();
  notices.committed(() => undefined, true);
  notices.cancel();
  scheduler.advance(DURABLE_NOTICE_MS);
  assert.equal(sent.length, 1, 'cancelled (shutdown)');
});

test('STORE10 durable notices: a vector that grew without a commit of ours (a peer filled a gap) is announced too, once per period, only to peers heard from', () => {
  const { scheduler, sequence, sent, notices } = setup();
  sequence.next();
  sequence.markCut();
  notices.committed(() => Uint8Array.of(1), true);
  scheduler.advance(DURABLE_NOTICE_MS);
  assert.deepEqual(sent, [{ seq: 1, stateVector: Uint8Array.of(1) }]);
  notices.announce(() => Uint8Array.of(2), false);
  scheduler.advance(DURABLE_NOTICE_MS);
  assert.equal(sent.length, 1, 'no peer heard from: nobody to tell');
  notices.announce(() => Uint8Array.of(3), true);
  notices.announce(() => Uint8Array.of(4), true);
  scheduler.advance(DURABLE_NOTICE_MS);
  assert.deepEqual(sent.slice(1), [{ seq: 1, stateVector: Uint8Array.of(4) }], 'one notice, the latest vector, the same seq');
});

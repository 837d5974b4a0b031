import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Outbox } from './outbox.js';

/** Three updates made one after the other on one document, as a node's clients would send them. */
function threeEdits(): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('t');
  text.insert(0, 'abc');
  text.insert(3, 'def');
  text.delete(1, 2);
  return { updates, text: text.toString() };
}

function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

test('CLUSTER2 outbox: updates added in one turn leave as one merged update at its end', async () => {
  const published: Uint8Array[] = [];
  const outbox: Outbox = new Outbox(() => {
    const update = outbox.take();
    if (update) published.push(update);
  });
  const { updates, text } = threeEdits();
  for (const update of updates) outbox.add(update);
  assert.equal(outbox.pending, true);
  assert.equal(published.length, 0, 'nothing leaves before the turn ends');
  await new Promise(setImmediate);
  assert.equal(published.length, 1);
  assert.equal(textOf(published[0]!), text, 'the merged update carries every edit');
  assert.equal(outbox.pending, false);
  // A lone update in a later turn still leaves, and unmerged (the same bytes).
  outbox.add(updates[0]!);
  await new Promise(setImmediate);
  assert.deepEqual(published[1], updates[0]);
});

test('CLUSTER2 outbox: the flush is scheduled once per batch; an early take leaves the scheduled flush nothing', () => {
  const deferred: Array<() => void> = [];
  let flushes = 0;
  const outbox: Outbox = new Outbox(
    () => {
      flushes += 1;
      assert.equal(outbox.take(), undefined, 'taken early (a batch cut): nothing left');
    },
    (run) => deferred.push(run),
  );
  const { updates, text } = threeEdits();
  for (const update of updates) outbox.add(update);
  assert.equal(deferred.length, 1, 'one scheduled flush for the three updates');
  assert.equal(textOf(outbox.take()!), text);
  assert.equal(outbox.pending, false);
  deferred.shift()!();
  assert.equal(flushes, 1);
  outbox.add(updates[0]!);
  assert.equal(deferred.length, 1, 'an update after the take schedules a new flush');
});

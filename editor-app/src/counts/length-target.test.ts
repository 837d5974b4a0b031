import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { LENGTH_TARGET_KEY, onLengthTarget, parseLengthTarget, presetTarget, readLengthTarget, SETTINGS_FIELD, targetStatus, writeLengthTarget } from './length-target.js';

test('COUNT4 the length target lives in the settings root map and syncs to another replica; removing it syncs too', () => {
  const alice = new Y.Doc();
  const bob = new Y.Doc();
  alice.on('update', (update: Uint8Array) => Y.applyUpdate(bob, update));
  const heard: unknown[] = [];
  onLengthTarget(bob, (target) => heard.push(target));

  writeLengthTarget(alice, presetTarget('tweet'));
  assert.deepEqual(readLengthTarget(bob), { preset: 'tweet', characters: 280 });
  writeLengthTarget(alice, { preset: 'custom', characters: 42 });
  writeLengthTarget(alice, null);
  assert.equal(readLengthTarget(bob), null);
  assert.deepEqual(heard, [{ preset: 'tweet', characters: 280 }, { preset: 'custom', characters: 42 }, null]);
  assert.deepEqual(bob.getMap(SETTINGS_FIELD).toJSON(), {});
});

test('COUNT4 a target that does not validate reads as none and cannot be written', () => {
  for (const bad of [null, 'x', { preset: 'custom', characters: 0 }, { preset: 'custom', characters: 1.5 }, { preset: 'custom', characters: 2_000_000 }, { preset: 'poem', characters: 10 }, { preset: 'custom' }]) {
    assert.equal(parseLengthTarget(bad), null, JSON.stringify(bad));
  }
  // A preset's length is the preset's.
  assert.deepEqual(parseLengthTarget({ preset: 'ad-headline', characters: 999 }), { preset: 'ad-headline', characters: 30 });
  const doc = new Y.Doc();
  doc.getMap(SETTINGS_FIELD).set(LENGTH_TARGET_KEY, { preset: 'custom', characters: -3 });
  assert.equal(readLengthTarget(doc), null);
  assert.throws(() => writeLengthTarget(doc, { preset: 'custom', characters: 0 }), RangeError);
});

test('COUNT5 the indicator is over only past the limit (the limit itself is within)', () => {
  const meta = presetTarget('meta-description');
  assert.deepEqual(targetStatus(10, null), { kind: 'none' });
  assert.deepEqual(targetStatus(155, meta), { kind: 'within', characters: 155, limit: 155, remaining: 0 });
  assert.deepEqual(targetStatus(156, meta), { kind: 'over', characters: 156, limit: 155, remaining: -1 });
});

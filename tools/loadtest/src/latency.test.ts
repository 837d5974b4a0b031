import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencySamples } from './latency.js';
import { decodeMarkers, encodeMarker } from './markers.js';
import { ArgumentsError, parseLoadTestArgs } from './args.js';

test('percentiles use the nearest rank', () => {
  const samples = new LatencySamples();
  assert.equal(samples.percentile(99), null);
  for (let i = 1; i <= 100; i += 1) samples.add(i);
  assert.equal(samples.percentile(50), 50);
  assert.equal(samples.percentile(99), 99);
  assert.equal(samples.max(), 100);
});

test('markers survive being embedded in other text', () => {
  const text = `abc${encodeMarker({ writer: 3, seq: 7, sentAtMs: 12.5 })}def${encodeMarker({ writer: 1, seq: 0, sentAtMs: 99 })}`;
  assert.deepEqual(decodeMarkers(text), [
    { writer: 3, seq: 7, sentAtMs: 12.5 },
    { writer: 1, seq: 0, sentAtMs: 99 },
  ]);
});

test('arguments: every problem is named at once', () => {
  assert.throws(
    () => parseLoadTestArgs(['--url', 'http://x', '--clients', '3', '--docs', '2', '--rate', '0']),
    (error: unknown) => {
      assert.ok(error instanceof ArgumentsError);
      assert.match(error.message, /--url: must start with ws/);
      assert.match(error.message, /--rate: must be a number > 0/);
      assert.match(error.message, /--duration: required/);
      assert.match(error.message, /need at least two clients per document/);
      return true;
    },
  );
  const config = parseLoadTestArgs(['--url', 'ws://h/sync', '--clients', '4', '--docs', '2', '--rate', '10', '--duration', '1', '--slo-p99-ms', '250']);
  assert.equal(config.sloP99Ms, 250);
  assert.equal(config.sloErrorRate, undefined);
});

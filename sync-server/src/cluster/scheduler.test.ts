import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualScheduler, realScheduler } from './scheduler.js';

test('manual scheduler: timers fire in due order with now() at their due time; deferred work waits for runDeferred', () => {
  const scheduler = new ManualScheduler(0);
  const log: string[] = [];
  const stopEvery = scheduler.every(100, () => log.push(`every@${scheduler.now()}`));
  scheduler.after(150, () => log.push(`after@${scheduler.now()}`));
  const cancelled = scheduler.after(120, () => log.push('cancelled'));
  cancelled();
  scheduler.defer(() => {
    log.push('deferred');
    scheduler.defer(() => log.push('deferred by deferred'));
  });
  scheduler.advance(250);
  assert.deepEqual(log, ['every@100', 'after@150', 'every@200']);
  assert.equal(scheduler.now(), 250);
  assert.equal(scheduler.runDeferred(), 2);
  assert.deepEqual(log.slice(3), ['deferred', 'deferred by deferred']);
  stopEvery();
  scheduler.advance(1_000);
  assert.equal(log.length, 5, 'a stopped interval never fires again');
});

test('real scheduler: deferred work runs after the current turn; a cancelled timeout never fires', async () => {
  const log: string[] = [];
  realScheduler.defer(() => log.push('deferred'));
  const cancel = realScheduler.after(0, () => log.push('cancelled'));
  cancel();
  log.push('same turn');
  // Immediates run in the order they were queued: ours comes after the deferred one.
  await new Promise(setImmediate);
  assert.deepEqual(log, ['same turn', 'deferred']);
  await new Promise((resolve) => realScheduler.after(5, () => resolve(undefined)));
  assert.deepEqual(log, ['same turn', 'deferred'], 'the cancelled timeout (due at 0 ms) did not fire');
  const stop = realScheduler.every(1, () => {});
  stop();
});

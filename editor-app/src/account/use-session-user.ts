import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { AuthSession, SessionUser } from '../session/auth-session.js';

const noSubscription = () => () => {};

export interface SessionUserState {
  /** The signed-in user; undefined when there is no session yet or it is still loading. */
  readonly user: SessionUser | undefined;
  /** A session is stored but its user is not known yet (renewing the access token). */
  readonly loading: boolean;
}

/**
 * The session's current user, re-rendering on sign in / sign up / sign out.
 * A stored session is renewed on mount so the user's name is known; no
 * session stays signed out (nobody becomes a guest just by looking).
 */
export function useSessionUser(session: AuthSession | undefined): SessionUserState {
  const subscribe = useCallback((listener: () => void) => session?.subscribe(listener) ?? (() => {}), [session]);
  const user = useSyncExternalStore(session ? subscribe : noSubscription, () => session?.user);
  const [renewing, setRenewing] = useState(() => Boolean(session?.hasSession && !session.user));

  useEffect(() => {
    if (!session?.hasSession || session.user) return;
    let cancelled = false;
    setRenewing(true);
    session
      .accessToken()
      .catch((error: unknown) => console.warn('could not renew the session (offline?)', error))
      .finally(() => {
        if (!cancelled) setRenewing(false);
      });
    return () => {
      cancelled = true;
    };
  }, [session]);

  return { user, loading: renewing && !user };
}

/**
 * A number that changes when the signed-in person changes (sign in as
 * someone else, sign out) — not when a stored session merely loads its user.
 * Keying a page by it reopens the page for the new person.
 */
export function useAccountGeneration(session: AuthSession | undefined): number {
  const { user } = useSessionUser(session);
  const [state, setState] = useState<{ lastUserId: string | undefined; generation: number }>({ lastUserId: user?.id, generation: 0 });
  const userId = user?.id;
  if (userId !== state.lastUserId) {
    // Adjusting state during render (React's documented pattern for derived state).
    setState({ lastUserId: userId, generation: state.lastUserId === undefined ? state.generation : state.generation + 1 });
  }
  return state.generation;
}

import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { HocuspocusProvider } from '@hocuspocus/provider';

export interface PresentUser {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly isSelf: boolean;
}

/**
 * Everyone in the document right now, from the provider's awareness states
 * (the CollaborationCaret extension publishes our own `user` field there).
 * Self first, then by name, so the list does not jump around.
 */
export function usePresence(provider: HocuspocusProvider): readonly PresentUser[] {
  const cache = useRef<{ key: string; users: readonly PresentUser[] }>({ key: '', users: [] });

  const subscribe = useCallback(
    (onChange: () => void) => {
      const awareness = provider.awareness;
      if (!awareness) return () => {};
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    [provider],
  );

  const getSnapshot = useCallback(() => {
    const users = presentUsersOf(provider);
    // Awareness fires on every caret move; keep the same array when the
    // visible list did not change so React can skip the re-render.
    const key = users.map((user) => `${user.clientId}:${user.name}:${user.color}`).join('|');
    if (key !== cache.current.key) cache.current = { key, users };
    return cache.current.users;
  }, [provider]);

  return useSyncExternalStore(subscribe, getSnapshot);
}

function presentUsersOf(provider: HocuspocusProvider): PresentUser[] {
  const awareness = provider.awareness;
  if (!awareness) return [];
  const users: PresentUser[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user: unknown = (state as Record<string, unknown>)['user'];
    if (typeof user !== 'object' || user === null) continue;
    const { name, color } = user as Record<string, unknown>;
    if (typeof name !== 'string' || typeof color !== 'string') continue;
    users.push({ clientId, name, color, isSelf: clientId === awareness.clientID });
  }
  return users.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

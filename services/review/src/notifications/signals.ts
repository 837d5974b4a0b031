import type { RedisPubSubClient } from '@copycloud/auth-client';

/**
 * "Your notifications changed" for open notification streams: the sink says
 * so after recording, the routes after marking read. A signal carries only
 * user ids — each stream re-reads its count from Postgres (membership
 * checked), so a lost or repeated signal never shows a wrong number for long.
 */
export interface NotificationSignals {
  /** Wakes every stream of these users (in this process, or in every process over Redis). */
  publish(userIds: readonly string[]): void;
  /** Calls `listener` whenever `userId`'s notifications change; returns the unsubscribe. */
  subscribe(userId: string, listener: () => void): () => void;
  /** Stops listening (and quits the Redis connections, if any). Idempotent. */
  close(): Promise<void>;
}

/** One process: the sink, the routes and the streams share this object. */
export function localNotificationSignals(): NotificationSignals {
  const listeners = new Map<string, Set<() => void>>();
  return {
    publish(userIds) {
      for (const userId of new Set(userIds)) {
        for (const listener of listeners.get(userId) ?? []) listener();
      }
    },
    subscribe(userId, listener) {
      let set = listeners.get(userId);
      if (!set) listeners.set(userId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(userId) === set) listeners.delete(userId);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}

/** Wire form of one signal on Redis (versioned, like every message between processes). */
interface SignalMessage {
  v: 1;
  userIds: string[];
}

function parseSignal(message: string): string[] | null {
  try {
    const value = JSON.parse(message) as Partial<SignalMessage> | null;
    if (value?.v !== 1 || !Array.isArray(value.userIds) || !value.userIds.every((id) => typeof id === 'string')) return null;
    return value.userIds;
  } catch {
    return null; // not JSON: reported by the caller as malformed
  }
}

/**
 * Several review processes (replicas behind a load balancer): a person's
 * stream may be held by another process than the one that recorded the
 * notification, so signals travel on `<prefix>:notifications`. `subscriber`
 * must be a dedicated connection.
 */
export function redisNotificationSignals(options: {
  publisher: Pick<RedisPubSubClient, 'publish'>;
  subscriber: RedisPubSubClient;
  channel: string;
  onError: (error: unknown) => void;
}): NotificationSignals & { ready: Promise<void> } {
  const local = localNotificationSignals();
  const ready = options.subscriber.subscribe(options.channel).then(() => undefined);
  ready.catch(options.onError);
  options.subscriber.on('message', (channel, message) => {
    if (channel !== options.channel) return;
    const userIds = parseSignal(message);
    if (userIds) local.publish(userIds);
    else options.onError(new Error(`malformed notification signal on ${channel}`));
  });
  let closed = false;
  return {
    ready,
    publish(userIds) {
      if (userIds.length === 0 || closed) return;
      const message: SignalMessage = { v: 1, userIds: [...new Set(userIds)] };
      options.publisher.publish(options.channel, JSON.stringify(message)).catch(options.onError);
    },
    subscribe: local.subscribe,
    async close() {
      if (closed) return;
      closed = true;
      await local.close();
      await options.subscriber.quit().catch(options.onError);
    },
  };
}

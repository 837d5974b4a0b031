import { EventEmitter } from 'node:events';
import { isRole, type Role } from './roles.js';

/**
 * Pushed by the auth service whenever someone's access to a document changes,
 * so sync nodes can apply it to live connections (and to tokens issued
 * before the change) without asking the database.
 */
export type AccessEvent =
  /** `role: null` = the user lost access (removed member, revoked share link). */
  | { type: 'access-changed'; documentId: string; userId: string; role: Role | null; at: number }
  | { type: 'document-deleted'; documentId: string; at: number }
  /** Not an access change, but pushed the same way so open pages show the new name at once. */
  | { type: 'document-renamed'; documentId: string; title: string; at: number };

export interface AccessEventBus {
  publish(event: AccessEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: AccessEvent) => void): () => void;
  close(): Promise<void>;
}

/** Single process (auth mounted next to the sync node): a plain emitter. */
export function createInProcessAccessEventBus(): AccessEventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(event) {
      emitter.emit('event', event);
    },
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/** The subset of an ioredis client used here (injected: this package opens no connections). */
export interface RedisPubSubClient {
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  quit(): Promise<unknown>;
}

export const ACCESS_EVENTS_CHANNEL = 'copycloud:auth:access-events';

/**
 * Many nodes: events travel on one Redis channel. `subscriber` must be a
 * dedicated connection (Redis puts subscribing connections in a special mode).
 */
export function createRedisAccessEventBus(options: {
  publisher: RedisPubSubClient;
  subscriber: RedisPubSubClient;
  channel?: string;
  onError?: (error: unknown) => void;
}): AccessEventBus & { ready: Promise<void> } {
  const channel = options.channel ?? ACCESS_EVENTS_CHANNEL;
  const local = createInProcessAccessEventBus();
  const ready = options.subscriber.subscribe(channel).then(() => undefined);
  ready.catch((error) => options.onError?.(error));
  options.subscriber.on('message', (from, message) => {
    if (from !== channel) return;
    const event = parseAccessEvent(message);
    if (event) void local.publish(event);
    else options.onError?.(new Error('malformed access event on Redis channel'));
  });
  return {
    ready,
    async publish(event) {
      await options.publisher.publish(channel, JSON.stringify(event));
    },
    subscribe: local.subscribe,
    async close() {
      await local.close();
      await Promise.allSettled([options.subscriber.quit(), options.publisher.quit()]);
    },
  };
}

/** Validates an event from the wire; null when it is not one. */
export function parseAccessEvent(message: string): AccessEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v['documentId'] !== 'string' || typeof v['at'] !== 'number') return null;
  if (v['type'] === 'document-deleted') return { type: 'document-deleted', documentId: v['documentId'], at: v['at'] };
  if (v['type'] === 'document-renamed' && typeof v['title'] === 'string') {
    return { type: 'document-renamed', documentId: v['documentId'], title: v['title'], at: v['at'] };
  }
  if (v['type'] === 'access-changed' && typeof v['userId'] === 'string' && (v['role'] === null || isRole(v['role']))) {
    return { type: 'access-changed', documentId: v['documentId'], userId: v['userId'], role: v['role'] as Role | null, at: v['at'] };
  }
  return null;
}

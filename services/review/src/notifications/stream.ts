import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Logger } from '@copycloud/observability';
import type { NotificationSignals } from './signals.js';

/** Limits of `GET /api/notifications/stream`, each with one default. */
export const NOTIFICATION_STREAM_DEFAULTS = Object.freeze({
  /** A `ping` event this long after the last event, so proxies and the client see a live connection. */
  heartbeatMs: 20_000,
  /**
   * A stream ends after this long and the client reconnects with a fresh
   * access token: a signed-out or expired session keeps no stream longer
   * than its access token (15 minutes) lived.
   */
  maxStreamMs: 15 * 60_000,
  /** Open streams per person (one per tab); more answer 429. */
  maxStreamsPerUser: 10,
});

export type NotificationStreamOptions = { [K in keyof typeof NOTIFICATION_STREAM_DEFAULTS]?: number };

/** What a stream sends: the unread count now (membership checked), on connect and after every change. */
export interface UnreadSnapshot {
  unread: number;
  /** The newest visible notification's id, so a client can tell "changed" from "same count". */
  latestId: string | null;
}

/**
 * The open notification streams of this process: each waits on the signals
 * for its user and sends `unread` with the count read again from Postgres.
 * `closeAll` ends every stream (shutdown: before the HTTP server closes,
 * which would otherwise wait for them).
 */
export class NotificationStreams {
  private readonly options: Required<NotificationStreamOptions>;
  private readonly open = new Map<string, number>();
  private readonly closers = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly signals: NotificationSignals,
    private readonly logger: Logger,
    options: NotificationStreamOptions = {},
  ) {
    this.options = { ...NOTIFICATION_STREAM_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  /** How many streams are open now (tests, metrics). */
  get size(): number {
    return this.closers.size;
  }

  /** Answers the request with an SSE stream of `userId`'s unread count. */
  respond(c: Context, userId: string, read: () => Promise<UnreadSnapshot>): Response {
    if (this.closed) return c.json({ error: 'shutting_down', message: 'the service is shutting down; reconnect' }, 503);
    const count = this.open.get(userId) ?? 0;
    if (count >= this.options.maxStreamsPerUser) {
      return c.json({ error: 'too_many_streams', message: `at most ${this.options.maxStreamsPerUser} notification streams per person; close another tab` }, 429);
    }
    this.open.set(userId, count + 1);
    c.header('cache-control', 'no-store');
    // Proxies such as nginx must not buffer the stream.
    c.header('x-accel-buffering', 'no');
    return streamSSE(
      c,
      async (stream) => {
        let dirty = true;
        let wake: () => void = () => {};
        let ending = false;
        const end = () => {
          ending = true;
          wake();
        };
        const unsubscribe = this.signals.subscribe(userId, () => {
          dirty = true;
          wake();
        });
        this.closers.add(end);
        stream.onAbort(end);
        const deadline = setTimeout(end, this.options.maxStreamMs);
        try {
          while (!ending && !stream.aborted) {
            if (dirty) {
              dirty = false;
              await stream.writeSSE({ event: 'unread', data: JSON.stringify(await read()) });
            }
            const woken = await new Promise<boolean>((resolve) => {
              const heartbeat = setTimeout(() => resolve(false), this.options.heartbeatMs);
              wake = () => {
                clearTimeout(heartbeat);
                resolve(true);
              };
              if (dirty || ending) wake();
            });
            wake = () => {};
            if (!woken && !ending && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
          }
        } finally {
          clearTimeout(deadline);
          unsubscribe();
          this.closers.delete(end);
          const left = (this.open.get(userId) ?? 1) - 1;
          if (left > 0) this.open.set(userId, left);
          else this.open.delete(userId);
        }
      },
      async (error) => {
        this.logger.warn({ err: error, userId }, 'notification stream failed');
      },
    );
  }

  /** Ends every open stream and refuses new ones. Idempotent. */
  closeAll(): void {
    this.closed = true;
    for (const close of [...this.closers]) close();
  }
}

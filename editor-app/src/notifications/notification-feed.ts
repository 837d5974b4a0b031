import type { NotificationItem } from '@copycloud/protocol';
import type { NotificationStreamEvent } from './notifications-api.js';

/** While the stream is down, the list is fetched this often instead. */
export const POLL_INTERVAL_MS = 15_000;
/** First wait before opening the stream again after it failed; doubles up to the max. */
export const STREAM_RETRY_MIN_MS = 2_000;
export const STREAM_RETRY_MAX_MS = 60_000;
/** A stream the server ended sooner than this counts as a failure (no reconnect loop). */
export const STREAM_MIN_LIFE_MS = 5_000;

/**
 * How the count is kept current: `live` (the stream is open), `polling` (it
 * failed; the list is fetched every 15 s while it is retried), `off` (no
 * session: nobody becomes a guest just by looking at the bell).
 */
export type FeedConnection = 'off' | 'connecting' | 'live' | 'polling';

export interface FeedSnapshot {
  readonly unread: number;
  /** Newest first; null until first loaded. */
  readonly items: readonly NotificationItem[] | null;
  readonly connection: FeedConnection;
}

/** The routes the feed uses (NotificationsApi, or a fake in tests). */
export interface FeedApi {
  list(): Promise<{ notifications: readonly NotificationItem[]; unread: number }>;
  markRead(request: { ids: readonly string[] } | { all: true }): Promise<{ unread: number }>;
  stream(onEvent: (event: NotificationStreamEvent) => void, signal: AbortSignal): Promise<void>;
}

/** Who is signed in: the feed follows sign-in and sign-out. */
export interface FeedSession {
  readonly hasSession: boolean;
  readonly user: { readonly id: string } | undefined;
  subscribe(listener: () => void): () => void;
}

export interface FeedClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: FeedClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The signed-in person's notifications as an external store for React: the
 * unread count live from the review service's SSE stream, falling back to
 * polling the list every 15 s while the stream is down (and retrying it).
 * Runs only while someone subscribes (the bell is on screen) and a session
 * exists; a change of person (sign-out, sign-in as someone else) closes the
 * stream and starts over.
 */
export class NotificationFeed {
  private snapshot: FeedSnapshot = { unread: 0, items: null, connection: 'off' };
  private readonly listeners = new Set<() => void>();
  private running = false;
  /** Bumped on every stop: work from an older run is ignored when it lands. */
  private generation = 0;
  private abort: AbortController | null = null;
  private pollTimer: unknown = null;
  /** A polling chain is running (its timer may be pending, or its fetch in flight). */
  private polling = false;
  private retryTimer: unknown = null;
  private retryMs = STREAM_RETRY_MIN_MS;
  private latestId: string | null = null;
  private userId: string | undefined;
  private unsubscribeSession: (() => void) | null = null;

  constructor(
    private readonly api: FeedApi,
    private readonly session: FeedSession,
    private readonly clock: FeedClock = realClock,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.unsubscribeSession = this.session.subscribe(this.sessionChanged);
      this.start();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      this.unsubscribeSession?.();
      this.unsubscribeSession = null;
      this.stop();
    };
  };

  readonly getSnapshot = (): FeedSnapshot => this.snapshot;

  /** Fetches the list now (the bell opening). */
  async refresh(): Promise<void> {
    const generation = this.generation;
    const { notifications, unread } = await this.api.list();
    if (generation !== this.generation) return;
    this.latestId = notifications[0]?.id ?? null;
    this.set({ items: notifications, unread });
  }

  /** Marks these read at once on screen, then on the server (the server's count wins). */
  async markRead(ids: readonly string[]): Promise<void> {
    const unreadIds = new Set(ids.filter((id) => this.snapshot.items?.some((n) => n.id === id && n.readAt === null)));
    if (unreadIds.size === 0) return;
    const at = new Date(this.clock.now()).toISOString();
    this.set({
      items: this.snapshot.items?.map((n) => (unreadIds.has(n.id) ? { ...n, readAt: at } : n)) ?? null,
      unread: Math.max(0, this.snapshot.unread - unreadIds.size),
    });
    const generation = this.generation;
    const { unread } = await this.api.markRead({ ids: [...unreadIds] });
    if (generation === this.generation) this.set({ unread });
  }

  async markAllRead(): Promise<void> {
    const at = new Date(this.clock.now()).toISOString();
    this.set({ items: this.snapshot.items?.map((n) => (n.readAt === null ? { ...n, readAt: at } : n)) ?? null, unread: 0 });
    const generation = this.generation;
    const { unread } = await this.api.markRead({ all: true });
    if (generation === this.generation) this.set({ unread });
  }

  /** A thread was opened or viewed: its unread notifications are read. */
  async markThreadRead(documentId: string, threadId: string): Promise<void> {
    const ids = (this.snapshot.items ?? []).filter((n) => n.documentId === documentId && n.threadId === threadId && n.readAt === null).map((n) => n.id);
    await this.markRead(ids);
  }

  private readonly sessionChanged = (): void => {
    if (this.session.user?.id === this.userId && this.session.hasSession === this.running) return;
    this.stop();
    this.snapshot = { unread: 0, items: null, connection: 'off' };
    this.emit();
    this.start();
  };

  private start(): void {
    if (this.running || !this.session.hasSession) return;
    this.running = true;
    this.userId = this.session.user?.id;
    this.openStream();
  }

  private stop(): void {
    this.running = false;
    this.generation += 1;
    this.abort?.abort();
    this.abort = null;
    this.stopPolling();
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryMs = STREAM_RETRY_MIN_MS;
    this.latestId = null;
    if (this.snapshot.connection !== 'off') this.set({ connection: 'off' });
  }

  private openStream(): void {
    const generation = this.generation;
    const abort = new AbortController();
    this.abort = abort;
    const openedAt = this.clock.now();
    if (this.snapshot.connection === 'off') this.set({ connection: 'connecting' });
    this.api
      .stream((event) => {
        if (generation !== this.generation) return;
        if (event.type !== 'unread') return;
        this.stopPolling();
        this.retryMs = STREAM_RETRY_MIN_MS;
        this.set({ unread: event.unread, connection: 'live' });
        // Something new (or something gone): the open list follows.
        if (event.latestId !== this.latestId || this.snapshot.items === null) void this.refresh().catch((error: unknown) => console.warn('could not load notifications', error));
      }, abort.signal)
      .then(
        () => {
          if (generation !== this.generation) return;
          // The server ends streams after a while, for a fresh token: reconnect at once (unless it ended at once).
          if (this.clock.now() - openedAt >= STREAM_MIN_LIFE_MS) this.openStream();
          else this.streamFailed(generation, new Error('the notification stream ended at once'));
        },
        (error: unknown) => {
          if (generation === this.generation && !abort.signal.aborted) this.streamFailed(generation, error);
        },
      );
  }

  private streamFailed(generation: number, error: unknown): void {
    console.warn('notification stream down; polling every 15 s', error);
    this.set({ connection: 'polling' });
    if (!this.polling) {
      this.polling = true;
      this.poll(generation);
    }
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, STREAM_RETRY_MAX_MS);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      if (generation === this.generation) this.openStream();
    }, wait);
  }

  private poll(generation: number): void {
    this.refresh()
      .catch((error: unknown) => console.warn('could not poll notifications', error))
      .finally(() => {
        if (generation !== this.generation || !this.polling) return;
        this.pollTimer = this.clock.setTimeout(() => {
          this.pollTimer = null;
          if (generation === this.generation && this.polling) this.poll(generation);
        }, POLL_INTERVAL_MS);
      });
  }

  private stopPolling(): void {
    this.polling = false;
    if (this.pollTimer !== null) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private set(patch: Partial<FeedSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

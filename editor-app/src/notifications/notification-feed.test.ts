import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotificationItem } from '@copycloud/protocol';
import { NotificationFeed, POLL_INTERVAL_MS, STREAM_RETRY_MIN_MS, type FeedApi, type FeedClock, type FeedSession } from './notification-feed.js';
import type { NotificationStreamEvent } from './notifications-api.js';

/** Timers run only when the test moves the clock. */
function fakeClock(): FeedClock & { advance(ms: number): Promise<void> } {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout(run, ms) {
      next += 1;
      timers.set(next, { at: now + ms, run });
      return next;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
        await settle();
      }
      now = until;
      await settle();
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function item(id: string, readAt: string | null = null): NotificationItem {
  return { id, kind: 'mention', documentId: 'doc1', documentTitle: 'Launch', threadId: `t${id}`, replyId: null, actor: { userId: 'u2', name: 'Cara' }, excerpt: 'hi', createdAt: '2026-01-01T00:00:00.000Z', readAt };
}

/** A review service in memory: the stream is controlled by the test. */
function fakeApi() {
  const state = { items: [item('1')], lists: 0, marked: [] as unknown[] };
  let streams: Array<{ emit(event: NotificationStreamEvent): void; fail(error: Error): void; end(): void; signal: AbortSignal }> = [];
  const api: FeedApi = {
    async list() {
      state.lists += 1;
      return { notifications: state.items, unread: state.items.filter((n) => n.readAt === null).length };
    },
    async markRead(request) {
      state.marked.push(request);
      state.items = state.items.map((n) => ('all' in request || request.ids.includes(n.id) ? { ...n, readAt: 'now' } : n));
      return { unread: state.items.filter((n) => n.readAt === null).length };
    },
    stream(onEvent, signal) {
      return new Promise<void>((resolve, reject) => {
        streams.push({ emit: onEvent, fail: reject, end: resolve, signal });
      });
    },
  };
  return {
    api,
    state,
    get streams() {
      return streams;
    },
    reset() {
      streams = [];
    },
  };
}

function fakeSession(): FeedSession & { signOut(): void } {
  const listeners = new Set<() => void>();
  const session = {
    hasSession: true,
    user: { id: 'u1' } as { id: string } | undefined,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signOut() {
      session.hasSession = false;
      session.user = undefined;
      for (const listener of listeners) listener();
    },
  };
  return session;
}

test('NOTIFY7 the bell follows the stream: the count at once, the list fetched when the newest id changes, nothing polled while it is live', async () => {
  const clock = fakeClock();
  const server = fakeApi();
  const feed = new NotificationFeed(server.api, fakeSession(), clock);
  const unsubscribe = feed.subscribe(() => {});
  assert.equal(feed.getSnapshot().connection, 'connecting');
  assert.equal(server.streams.length, 1);
  server.streams[0]!.emit({ type: 'unread', unread: 1, latestId: '1' });
  await settle();
  assert.deepEqual({ ...feed.getSnapshot(), items: feed.getSnapshot().items?.map((n) => n.id) }, { unread: 1, items: ['1'], connection: 'live' });
  const listsAfterConnect = server.state.lists;
  await clock.advance(POLL_INTERVAL_MS * 3);
  assert.equal(server.state.lists, listsAfterConnect, 'no polling while the stream is live');
  server.state.items = [item('2'), item('1')];
  server.streams[0]!.emit({ type: 'unread', unread: 2, latestId: '2' });
  await settle();
  assert.deepEqual(feed.getSnapshot().items?.map((n) => n.id), ['2', '1']);
  unsubscribe();
  assert.equal(server.streams[0]!.signal.aborted, true, 'the last subscriber gone closes the stream');
});

test('NOTIFY7 when the stream fails the bell polls every 15 s and retries the stream with backoff; back live, polling stops', async () => {
  const clock = fakeClock();
  const server = fakeApi();
  const feed = new NotificationFeed(server.api, fakeSession(), clock);
  feed.subscribe(() => {});
  server.streams[0]!.fail(new Error('proxy cut it'));
  await settle();
  assert.equal(feed.getSnapshot().connection, 'polling');
  assert.equal(server.state.lists, 1, 'polled at once');
  assert.equal(feed.getSnapshot().unread, 1);
  // The stream is retried after 2 s and fails again; polling goes on every 15 s.
  await clock.advance(STREAM_RETRY_MIN_MS);
  assert.equal(server.streams.length, 2);
  server.streams[1]!.fail(new Error('still down'));
  await settle();
  await clock.advance(POLL_INTERVAL_MS);
  assert.equal(server.state.lists, 2);
  server.state.items = [item('3'), item('1')];
  await clock.advance(POLL_INTERVAL_MS);
  assert.equal(server.state.lists, 3);
  assert.equal(feed.getSnapshot().unread, 2, 'the count follows by polling');
  // The next retry (4 s after the last failure, already passed) opened a stream: it comes back.
  const open = server.streams.at(-1)!;
  open.emit({ type: 'unread', unread: 2, latestId: '3' });
  await settle();
  assert.equal(feed.getSnapshot().connection, 'live');
  const lists = server.state.lists;
  await clock.advance(POLL_INTERVAL_MS * 2);
  assert.equal(server.state.lists, lists, 'polling stopped once live again');
});

test('NOTIFY7 sign-out closes the stream and clears the bell; marking read updates the count at once and from the server', async () => {
  const clock = fakeClock();
  const server = fakeApi();
  const session = fakeSession();
  const feed = new NotificationFeed(server.api, session, clock);
  feed.subscribe(() => {});
  server.streams[0]!.emit({ type: 'unread', unread: 1, latestId: '1' });
  await settle();
  await feed.markThreadRead('doc1', 't1');
  assert.deepEqual(server.state.marked, [{ ids: ['1'] }]);
  assert.equal(feed.getSnapshot().unread, 0);
  assert.notEqual(feed.getSnapshot().items?.[0]?.readAt, null);
  await feed.markThreadRead('doc1', 't1');
  assert.equal(server.state.marked.length, 1, 'nothing left to mark');

  session.signOut();
  assert.equal(server.streams[0]!.signal.aborted, true);
  assert.deepEqual(feed.getSnapshot(), { unread: 0, items: null, connection: 'off' });
  await clock.advance(POLL_INTERVAL_MS * 2);
  assert.equal(server.streams.length, 1, 'no session: no stream');
});

// The live notification stream and the webhook address checks, against real
// servers on port 0: real auth and memberships on Postgres, the review
// service over a real HTTP server (so the SSE stream is a real chunked
// response), real Redis for signals between processes, and a real HTTP
// receiver standing in for a webhook endpoint on 127.0.0.1.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { runMigrations } from '@copycloud/db';
import { startHttpServer, type RunningHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { formatMention, type ReviewEvent } from '@copycloud/protocol';
import { waitFor } from '@copycloud/testing';
import { api, createDocument, signup, type Session } from '../../auth/test/helpers.js';
import { startAuthStack } from '../../../sync-server/test/auth-helpers.js';
import {
  createNotificationDeliveryLoop,
  createNotifications,
  createReviewService,
  inProcessReviewDelivery,
  notificationsEnvObject,
  PostgresDocumentOwners,
  PostgresRecipientAddresses,
  redisNotificationSignals,
  reviewMigrations,
  webhookPoster,
  type Notifications,
  type ResolveAll,
} from '../src/index.js';

const quietLogger = createLogger({ name: 'notification-stream-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One SSE event as the client sees it. */
interface StreamEvent {
  event: string;
  data: unknown;
}

/** Reads an SSE response event by event (a small parser: `event:` and `data:` lines, blank line ends one). */
function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const events: StreamEvent[] = [];
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
        const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
        events.push({ event, data: data ? JSON.parse(data) : null });
      }
    }
    ended = true;
  })().catch(() => {
    ended = true; // cancelled by the test
  });
  return {
    events,
    get ended() {
      return ended;
    },
    /** Waits until an event matching `check` arrived after the first `from` events. */
    async next(check: (event: StreamEvent) => boolean, what: string, from = 0): Promise<StreamEvent> {
      let found: StreamEvent | undefined;
      await waitFor(() => assert.ok((found = events.slice(from).find(check)), `${what}; got ${JSON.stringify(events)}`), { timeoutMs: 10_000, message: what });
      return found!;
    },
    async cancel() {
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  };
}

describe('notifications live: GET /api/notifications/stream and the webhook address checks (services/review)', () => {
  let stack: Awaited<ReturnType<typeof startAuthStack>>;
  let notifications: Notifications;
  let http: RunningHttpServer;
  let alice: Session;
  let bob: Session;
  let documentId: string;
  let counter = 0;

  before(async () => {
    stack = await startAuthStack();
    await runMigrations(stack.db, reviewMigrations);
    const roles = new PostgresDocumentRoleLookup(stack.db);
    // NOTIFY_WEBHOOK_ALLOW_PRIVATE stays false here: these tests are about refusing.
    const env = notificationsEnvObject.parse({ NOTIFY_WEBHOOK_ALLOW_HTTP: 'true' });
    notifications = createNotifications({ db: stack.db, roles, logger: quietLogger, env, stream: { heartbeatMs: 300, maxStreamsPerUser: 3 } });
    const service = createReviewService({
      delivery: inProcessReviewDelivery(stack.node.node),
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles,
      owners: new PostgresDocumentOwners(stack.db),
      sinks: [notifications.sink],
      notifications: notifications.routes,
    });
    http = await startHttpServer({ app: service.app, upgrades: [], port: 0, host: '127.0.0.1' });
    [alice, bob] = await Promise.all([signup(stack.auth.url), signup(stack.auth.url)]);
  });

  beforeEach(async () => {
    documentId = await createDocument(stack.auth.url, alice.accessToken);
    const link = await api(stack.auth.url, 'POST', `/api/docs/${documentId}/share`, { token: alice.accessToken, body: { role: 'commenter' } });
    assert.equal((await api(stack.auth.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: bob.accessToken })).status, 200);
    await fetch(`${http.url}/api/notifications/read`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ all: true }),
    });
  });

  after(async () => {
    await notifications?.close();
    await http?.close();
    await stack?.stop();
  });

  function mentionEvent(actor: Session, who: Session): ReviewEvent {
    counter += 1;
    return {
      type: 'thread-created',
      documentId,
      threadId: `thread-${counter}`,
      replyId: `reply-${counter}`,
      body: `${formatMention({ name: who.user.name, userId: who.user.id })} look`,
      quote: 'fast',
      actor: { userId: actor.user.id, name: actor.user.name },
      at: new Date().toISOString(),
      threadAuthorId: actor.user.id,
      participantIds: [actor.user.id],
    } as ReviewEvent;
  }

  const openStream = (who: Session | null) =>
    fetch(`${http.url}/api/notifications/stream`, { headers: who ? { authorization: `Bearer ${who.accessToken}` } : {} });

  test('NOTIFY7 the stream sends the unread count at once, again within moments of a mention (no polling), and after marking read in another tab; pings while quiet', async () => {
    assert.equal((await openStream(null)).status, 401, 'authenticated like the other routes');
    const response = await openStream(alice);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const stream = sseReader(response);
    try {
      const first = await stream.next((e) => e.event === 'unread', 'the first count');
      assert.deepEqual(first.data, { unread: 0, latestId: null });

      const seen = stream.events.length;
      await notifications.sink(mentionEvent(bob, alice));
      const live = await stream.next((e) => e.event === 'unread', 'the count after a mention', seen);
      const { unread, latestId } = live.data as { unread: number; latestId: string };
      assert.equal(unread, 1);
      const listed = (await (await fetch(`${http.url}/api/notifications`, { headers: { authorization: `Bearer ${alice.accessToken}` } })).json()) as {
        notifications: Array<{ id: string; documentTitle: string }>;
      };
      assert.equal(listed.notifications[0]!.id, latestId);
      assert.equal(typeof listed.notifications[0]!.documentTitle, 'string', 'the list carries the document title');

      // Another tab marks it read: this stream follows.
      const before = stream.events.length;
      const read = await fetch(`${http.url}/api/notifications/read`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [latestId] }),
      });
      assert.deepEqual(await read.json(), { marked: 1, unread: 0 });
      await stream.next((e) => e.event === 'unread' && (e.data as { unread: number }).unread === 0, 'the count after marking read', before);

      // Bob's own stream hears nothing of Alice's mention; quiet streams ping.
      await stream.next((e) => e.event === 'ping', 'a heartbeat');
    } finally {
      await stream.cancel();
    }
  });

  test('NOTIFY7 streams per person are bounded (429), a stream ends after its maximum life (the client reconnects with a fresh token), and shutdown ends every stream', async () => {
    const roles = new PostgresDocumentRoleLookup(stack.db);
    const env = notificationsEnvObject.parse({});
    const short = createNotifications({ db: stack.db, roles, logger: quietLogger, env, stream: { maxStreamMs: 400, maxStreamsPerUser: 2 } });
    const service = createReviewService({
      delivery: inProcessReviewDelivery(stack.node.node),
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles,
      owners: new PostgresDocumentOwners(stack.db),
      notifications: short.routes,
    });
    const server = await startHttpServer({ app: service.app, upgrades: [], port: 0, host: '127.0.0.1' });
    const open = () => fetch(`${server.url}/api/notifications/stream`, { headers: { authorization: `Bearer ${alice.accessToken}` } });
    try {
      const a = sseReader(await open());
      const b = sseReader(await open());
      const third = await open();
      assert.equal(third.status, 429);
      assert.equal(((await third.json()) as { error: string }).error, 'too_many_streams');
      // Both end on their own after maxStreamMs.
      await waitFor(() => assert.ok(a.ended && b.ended), { timeoutMs: 10_000, message: 'streams past their maximum life end' });
      assert.ok(a.events.some((e) => e.event === 'unread'));
      // Ended streams free their places; shutdown ends the open ones and refuses new ones.
      const c = sseReader(await open());
      await c.next((e) => e.event === 'unread', 'the first count of a new stream');
      const closing = short.close();
      await waitFor(() => assert.ok(c.ended), { timeoutMs: 10_000, message: 'shutdown ends the stream' });
      await closing;
      assert.equal((await open()).status, 503);
    } finally {
      await short.close();
      await server.close();
    }
  });

  test('NOTIFY7 signals cross processes over Redis: a notification recorded by one review process wakes a stream held by another', async () => {
    const channel = `test-${process.pid}-${Date.now()}:notifications`;
    const clients = [new Redis(REDIS_URL), new Redis(REDIS_URL), new Redis(REDIS_URL), new Redis(REDIS_URL)];
    const [pubA, subA, pubB, subB] = clients as [Redis, Redis, Redis, Redis];
    const errors: unknown[] = [];
    const a = redisNotificationSignals({ publisher: pubA, subscriber: subA, channel, onError: (e) => errors.push(e) });
    const b = redisNotificationSignals({ publisher: pubB, subscriber: subB, channel, onError: (e) => errors.push(e) });
    try {
      await Promise.all([a.ready, b.ready]);
      const heard: string[] = [];
      b.subscribe('alice-1', () => heard.push('alice'));
      b.subscribe('bob-1', () => heard.push('bob'));
      a.publish(['alice-1', 'alice-1']);
      await waitFor(() => assert.deepEqual(heard, ['alice']), { timeoutMs: 5_000, message: 'the signal on the other process' });
      await pubA.publish(channel, '{"v":2}');
      await waitFor(() => assert.equal(errors.length, 2), { timeoutMs: 5_000, message: 'a malformed signal is reported (by each process)' });
      assert.deepEqual(heard, ['alice']);
    } finally {
      await a.close();
      await b.close();
      await Promise.all([pubA.quit(), pubB.quit()]);
    }
  });

  test('NOTIFY8 PUT /api/docs/:id/webhook refuses hosts that are or resolve to loopback, private, link-local, unique-local or unspecified addresses (400, saying which)', async () => {
    const put = (url: string) =>
      fetch(`${http.url}/api/docs/${documentId}/webhook`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
    const refused: Array<[string, RegExp]> = [
      ['http://127.0.0.1:9/hook', /127\.0\.0\.1 is a loopback address/],
      ['http://localhost/hook', /localhost \((127\.0\.0\.1|::1)\) is a loopback address/],
      ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a linkLocal address/],
      ['http://10.0.0.5/hook', /10\.0\.0\.5 is a private address/],
      ['http://192.168.0.1/hook', /is a private address/],
      ['http://[::1]/hook', /::1 is a loopback address/],
      ['http://[fd00::1]/hook', /fd00::1 is a uniqueLocal address/],
      ['http://[::ffff:127.0.0.1]/hook', /is a loopback address/],
      ['http://0.0.0.0/hook', /0\.0\.0\.0 is a unspecified address/],
    ];
    for (const [url, message] of refused) {
      const response = await put(url);
      assert.equal(response.status, 400, url);
      const body = (await response.json()) as { error: string; issues: Array<{ path: string; message: string }> };
      assert.equal(body.error, 'invalid_request');
      assert.equal(body.issues[0]!.path, 'url');
      assert.match(body.issues[0]!.message, message, url);
    }
    // A public address is accepted (nothing is sent until a comment comes).
    assert.equal((await put('https://93.184.215.14/hook')).status, 200);
  });

  test('NOTIFY8 each delivery resolves the host again and connects to the address it checked: a name that later resolves to 127.0.0.1 (DNS rebinding) is never posted to', async () => {
    const posts: string[] = [];
    const receiver: Server = createServer((req, res) => {
      posts.push(req.headers.host ?? '');
      req.resume();
      req.on('end', () => res.writeHead(200).end('ok'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      // The webhook was set while hooks.example resolved to a public address; now it answers 127.0.0.1.
      await notifications.store.setWebhook(documentId, `http://hooks.example:${port}/hook`, alice.user.id);
      const rebinding: ResolveAll = async () => [{ address: '127.0.0.1', family: 4 }];
      const loop = (allowPrivate: boolean) =>
        createNotificationDeliveryLoop({
          store: notifications.store,
          roles: new PostgresDocumentRoleLookup(stack.db),
          addresses: new PostgresRecipientAddresses(stack.db),
          logger: quietLogger,
          mailer: null,
          postWebhook: webhookPoster({ allowPrivate, resolve: rebinding }),
        });
      await notifications.sink(mentionEvent(bob, alice));
      const refused = await loop(false).runOnce(new Date());
      assert.deepEqual(refused.webhooks, { sent: 0, retry: 0, failed: 1, dropped: 0 });
      assert.deepEqual(posts, []);

      // The same path with private addresses allowed reaches the receiver — through the looked-up address, under the webhook's host name.
      await notifications.sink(mentionEvent(bob, alice));
      const allowed = await loop(true).runOnce(new Date());
      assert.equal(allowed.webhooks.sent, 1);
      assert.deepEqual(posts, [`hooks.example:${port}`]);
    } finally {
      await notifications.store.setWebhook(documentId, null, alice.user.id);
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

// Notifications end to end against real servers on port 0: real auth (users,
// memberships) on Postgres, a real SMTP server (smtp-server) receiving what
// nodemailer sends, a real HTTP server standing in for a Slack webhook.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { runMigrations } from '@copycloud/db';
import { createLogger } from '@copycloud/observability';
import { formatMention, parseMentions, type CommentEvent, type ListNotificationsResponse } from '@copycloud/protocol';
import * as Y from 'yjs';
import { anchorFromTypeIndices } from '@copycloud/schema/comments';
import { startSmtpCapture, waitFor, type SmtpCapture } from '@copycloud/testing';
import { api, createDocument, signup, type Session } from '../../auth/test/helpers.js';
import { startAuthStack } from '../../../sync-server/test/auth-helpers.js';
import {
  createNotificationDeliveryLoop,
  createNotificationSink,
  createReviewService,
  inProcessReviewDelivery,
  localNotificationSignals,
  NotificationStore,
  NotificationStreams,
  PostgresDocumentOwners,
  PostgresRecipientAddresses,
  reviewMigrations,
  smtpMailer,
  type Mailer,
  type ReviewEventSink,
  type ReviewService,
} from '../src/index.js';

const quietLogger = createLogger({ name: 'notifications-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const DIGEST_MS = 60_000;

function startWebhookReceiver(): Promise<{ server: Server; url: string; posts: Array<{ contentType: string; body: unknown }> }> {
  const posts: Array<{ contentType: string; body: unknown }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ contentType: req.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, posts })));
}

describe('notifications: in-app, email digests over real SMTP, webhooks (services/review)', () => {
  let stack: Awaited<ReturnType<typeof startAuthStack>>;
  let smtp: SmtpCapture;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let store: NotificationStore;
  let roles: PostgresDocumentRoleLookup;
  let mailer: Mailer;
  let sink: ReviewEventSink;
  let service: ReviewService;
  let app: Hono;
  let alice: Session & { email: string };
  let bob: Session & { email: string };
  let cara: Session & { email: string };
  let documentId: string;
  let counter = 0;

  const loopAt = (overrides: Partial<Parameters<typeof createNotificationDeliveryLoop>[0]> = {}) =>
    createNotificationDeliveryLoop({ store, roles, addresses: new PostgresRecipientAddresses(stack.db), logger: quietLogger, mailer, digestMs: DIGEST_MS, allowPrivateWebhooks: true, ...overrides });
  /** A time when every digest recorded so far is due. */
  const due = () => new Date(Date.now() + DIGEST_MS + 1_000);

  function event(type: 'thread-created' | 'reply-added', actor: Session, body: string, threadAuthor: Session = actor): CommentEvent {
    counter += 1;
    return {
      type,
      documentId,
      threadId: `thread-${counter}`,
      replyId: `reply-${counter}`,
      body,
      ...(type === 'thread-created' ? { quote: 'fast' } : {}),
      actor: { userId: actor.user.id, name: actor.user.name },
      at: new Date().toISOString(),
      threadAuthorId: threadAuthor.user.id,
      participantIds: [threadAuthor.user.id, actor.user.id],
    } as CommentEvent;
  }
  const mention = (who: Session) => formatMention({ name: who.user.name, userId: who.user.id });
  const inbox = async (who: Session) => {
    const response = await app.request('/api/notifications', { headers: { authorization: `Bearer ${who.accessToken}` } });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as ListNotificationsResponse;
  };

  before(async () => {
    stack = await startAuthStack();
    await runMigrations(stack.db, reviewMigrations);
    smtp = await startSmtpCapture();
    webhook = await startWebhookReceiver();
    store = new NotificationStore(stack.db);
    roles = new PostgresDocumentRoleLookup(stack.db);
    mailer = smtpMailer({ smtpUrl: smtp.url, from: 'Copycloud <notify@example.com>' });
    const signals = localNotificationSignals();
    sink = createNotificationSink({ store, roles, email: true, appUrl: 'https://copy.example', signals });
    service = createReviewService({
      delivery: inProcessReviewDelivery(stack.node.node),
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles,
      owners: new PostgresDocumentOwners(stack.db),
      sinks: [sink],
      // The webhook receiver is on 127.0.0.1: private addresses allowed here (NOTIFY8 tests the refusal).
      notifications: { store, signals, streams: new NotificationStreams(signals, quietLogger), allowHttpWebhooks: true, allowPrivateWebhooks: true },
    });
    app = new Hono().route('/', service.app);
    [alice, bob, cara] = await Promise.all([signup(stack.auth.url), signup(stack.auth.url), signup(stack.auth.url)]);
  });

  beforeEach(async () => {
    // A fresh document per test; Bob and Cara join as commenters.
    documentId = await createDocument(stack.auth.url, alice.accessToken);
    for (const who of [bob, cara]) {
      const link = await api(stack.auth.url, 'POST', `/api/docs/${documentId}/share`, { token: alice.accessToken, body: { role: 'commenter' } });
      assert.equal(link.status, 201, JSON.stringify(link.json));
      assert.equal((await api(stack.auth.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: who.accessToken })).status, 200);
    }
    // Earlier tests' digests are out of the way.
    await loopAt().runOnce(due());
    smtp.mails.length = 0;
    webhook.posts.length = 0;
  });

  after(async () => {
    mailer?.close();
    await smtp?.close();
    await new Promise((resolve) => webhook?.server.close(resolve));
    await stack?.stop();
  });

  test('NOTIFY1 the mention wire form: @[Name](userId) parses to distinct members in order; a mention of a non-member is refused with 400', async () => {
    assert.deepEqual(parseMentions('hi @[Bob B](bob-1) and @[Cara](c_2), again @[Bob](bob-1)'), [
      { name: 'Bob B', userId: 'bob-1' },
      { name: 'Cara', userId: 'c_2' },
    ]);
    assert.deepEqual(parseMentions('@[no id]() @Bob [x](y)'), []);
    const response = await app.request(`/api/docs/${documentId}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ anchor: { start: 'AAAA', end: 'AAAA' }, body: `look @[Mallory](not-a-member-1)` }),
    });
    assert.equal(response.status, 400);
    const error = (await response.json()) as { error: string; issues: Array<{ path: string; message: string }> };
    assert.equal(error.error, 'invalid_request');
    assert.match(error.issues[0]!.message, /not-a-member-1, who is not a member/);
  });

  test('NOTIFY2 two mentions of Alice become two in-app notifications (newest first, unread 2) and ONE email digest over real SMTP once the digest window passes', async () => {
    await sink(event('thread-created', bob, `${mention(alice)} can you check this?`));
    await sink(event('reply-added', cara, `agree with ${mention(alice)}`, bob));
    const list = await inbox(alice);
    assert.equal(list.unread, 2);
    assert.deepEqual(list.notifications.map((n) => [n.kind, n.actor.name]), [
      ['mention', cara.user.name],
      ['mention', bob.user.name],
    ]);
    assert.equal(list.notifications[0]!.excerpt, `agree with @${alice.user.name}`);
    // Bob gets the reply to his thread.
    assert.deepEqual((await inbox(bob)).notifications.map((n) => n.kind), ['reply']);

    // Not due yet: nothing is sent.
    assert.equal((await loopAt().runOnce(new Date())).emailsSent, 0);
    const round = await loopAt().runOnce(due());
    assert.equal(round.emailsSent, 2, 'one digest for Alice, one for Bob');
    const toAlice = smtp.mails.filter((m) => m.to.includes(alice.email));
    assert.equal(toAlice.length, 1, 'one digest, not one mail per mention');
    assert.match(toAlice[0]!.raw, /Subject: Copycloud: 2 new notifications/);
    assert.match(toAlice[0]!.raw, /mentioned you/);
    // Sent rows are not sent again.
    assert.equal((await loopAt().runOnce(due())).emailsSent, 0);
    assert.equal(smtp.mails.length, 2);

    const read = await app.request('/api/notifications/read', {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [list.notifications[0]!.id] }),
    });
    assert.deepEqual(await read.json(), { marked: 1, unread: 1 });
    const bad = await app.request('/api/notifications/read', {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ['x'], extra: 1 }),
    });
    assert.equal(bad.status, 400);
  });

  test('NOTIFY3 the same event recorded twice (at-least-once) is one notification and one digest line', async () => {
    const once = event('thread-created', bob, `${mention(alice)} hello`);
    const unreadBefore = (await inbox(alice)).unread;
    await sink(once);
    await sink(once);
    const list = await inbox(alice);
    assert.equal(list.notifications.filter((n) => n.threadId === once.threadId).length, 1);
    assert.equal(list.unread, unreadBefore + 1);
    await loopAt().runOnce(due());
    assert.equal(smtp.mails.length, 1);
    assert.match(smtp.mails[0]!.raw, /Subject: Copycloud: 1 new notification/);
  });

  test('NOTIFY4 a member removed from the document gets nothing: no in-app entry, no email, even for notifications recorded before the removal', async () => {
    await sink(event('thread-created', bob, `${mention(cara)} before removal`));
    const removed = await api(stack.auth.url, 'DELETE', `/api/docs/${documentId}/members/${cara.user.id}`, { token: alice.accessToken });
    assert.ok(removed.status === 200 || removed.status === 204, JSON.stringify(removed.json));
    await sink(event('reply-added', bob, `${mention(cara)} after removal`, cara));
    assert.deepEqual((await inbox(cara)).notifications.filter((n) => n.documentId === documentId), []);
    assert.equal((await inbox(cara)).unread, 0);
    const round = await loopAt().runOnce(due());
    assert.equal(round.emailsSent, 0);
    assert.equal(round.notificationsDropped, 1, 'the one recorded before removal is dropped at delivery');
    assert.equal(smtp.mails.length, 0);
  });

  test('NOTIFY5 the document webhook (owner only) receives {text} as JSON from the delivery loop, once per event', async () => {
    const put = (who: Session, body: unknown) =>
      app.request(`/api/docs/${documentId}/webhook`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await put(bob, { url: webhook.url })).status, 403);
    assert.equal((await put(alice, { url: 'ftp://example.com/x' })).status, 400);
    assert.equal((await put(alice, { url: webhook.url })).status, 200);
    const created = event('thread-created', bob, `${mention(alice)} <!channel> & more`);
    await sink(created);
    await sink(created);
    const round = await loopAt().runOnce(new Date());
    assert.equal(round.webhooks.sent, 1);
    assert.equal(webhook.posts.length, 1);
    assert.equal(webhook.posts[0]!.contentType, 'application/json');
    const { text } = webhook.posts[0]!.body as { text: string };
    assert.match(text, new RegExp(`^${bob.user.name} commented: “@${alice.user.name} &lt;!channel&gt; &amp; more” <https://copy.example/d/${documentId}\\|open the document>$`));
    assert.equal((await put(alice, { url: null })).status, 200);
    await sink(event('reply-added', cara, 'no hook now', bob));
    assert.equal((await loopAt().runOnce(new Date())).webhooks.sent, 0);
  });

  test('NOTIFY6 the delivery loop restarted mid-way (its SMTP connection dies after the first digest) delivers exactly what was pending, nothing twice', async () => {
    await sink(event('thread-created', bob, `${mention(alice)} one`));
    await sink(event('thread-created', alice, `${mention(bob)} two`));
    await sink(event('thread-created', alice, `${mention(cara)} three`));
    let sent = 0;
    const dying: Mailer = {
      async send(mail) {
        if (sent >= 1) throw new Error('process killed');
        sent += 1;
        await mailer.send(mail);
      },
      close() {},
    };
    const first = await loopAt({ mailer: dying }).runOnce(due());
    assert.equal(first.emailsSent, 1);
    assert.equal(smtp.mails.length, 1);
    // A new process, a new loop on its own timer (digests due at once): the rows are the queue.
    const second = loopAt({ digestMs: 1 });
    second.start();
    await waitFor(() => assert.equal(smtp.mails.length, 3), { timeoutMs: 10_000, message: 'the two pending digests' });
    await second.stop();
    const recipients = smtp.mails.flatMap((m) => m.to).sort();
    assert.deepEqual(recipients, [alice.email, bob.email, cara.email].sort());
    assert.equal((await loopAt().runOnce(due())).emailsSent, 0);
  });
  test('SUGGEST8 a suggestion through the API notifies the author of the text (the owner) in-app and in the digest, never the one suggesting; a suggestion on a proposal notifies its proposer too', async () => {
    // Alice's text, written on the node as her editor would have.
    await stack.node.node.applyServerChange(documentId, { source: 'local' }, (doc) => {
      const block = new Y.XmlElement('paragraph');
      doc.getXmlFragment('default').insert(0, [block]);
      block.insert(0, [new Y.XmlText('Launch on Monday.')]);
    });
    /** Where `word` is, as the editor would send it (read on the node's copy; nothing is written). */
    const range = async (word: string) => {
      let found: { from: string; to: string } | undefined;
      await stack.node.node.applyServerChange(documentId, { source: 'local' }, (doc) => {
        const text = (doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
        const at = (text.toDelta() as Array<{ insert: string }>).map((op) => op.insert).join('').indexOf(word);
        const { start, end } = anchorFromTypeIndices({ type: text as Y.AbstractType<unknown>, index: at }, { type: text as Y.AbstractType<unknown>, index: at + word.length });
        found = { from: start, to: end };
      });
      return found!;
    };
    const suggest = async (who: Session, word: string, text: string) => {
      const response = await app.request(`/api/docs/${documentId}/suggestions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...(await range(word)), text }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return ((await response.json()) as { suggestion: { id: string } }).suggestion;
    };
    const caras = await suggest(cara, 'Monday', 'Tuesday');
    const forAlice = (await inbox(alice)).notifications.filter((n) => n.documentId === documentId);
    assert.deepEqual(
      forAlice.map((n) => [n.kind, n.threadId, n.replyId, n.actor.userId, n.excerpt]),
      [['suggestion', caras.id, null, cara.user.id, 'replace “Monday” with “Tuesday”']],
    );
    assert.deepEqual((await inbox(cara)).notifications.filter((n) => n.documentId === documentId), [], 'never the one suggesting');
    assert.deepEqual((await inbox(bob)).notifications.filter((n) => n.documentId === documentId), [], 'nor other members');

    // Bob proposes to delete Cara's proposed "Tuesday": Cara's text, in Alice's document.
    await suggest(bob, 'Tuesday', '');
    assert.deepEqual((await inbox(cara)).notifications.filter((n) => n.documentId === documentId).map((n) => [n.kind, n.excerpt]), [['suggestion', 'delete “Tuesday”']]);
    assert.equal((await inbox(alice)).notifications.filter((n) => n.documentId === documentId).length, 2);

    await loopAt().runOnce(due());
    const toAlice = smtp.mails.filter((m) => m.to.includes(alice.email));
    assert.equal(toAlice.length, 1);
    assert.match(toAlice[0]!.raw, /suggested a change to your text/);
  });
});

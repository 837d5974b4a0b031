import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { DocumentStore } from '@copycloud/db';
import { createLogger } from '@copycloud/observability';
import { CloseCodes, COMMENT_LIMITS, decodeExternalUpdate, type CommentThread, type ReviewEvent } from '@copycloud/protocol';
import { anchorFromTypeIndices, readThreads } from '@copycloud/schema/comments';
import { waitFor } from '@copycloud/testing';
import { applyExternalUpdate } from '@copycloud/sync-server';
import { api, createDocument, documentToken, guest, type Session } from '../../auth/test/helpers.js';
import { connectWithToken, startAuthStack, type AuthedClient } from '../../../sync-server/test/auth-helpers.js';
import { createReviewService, inProcessReviewDelivery, storedReviewDelivery, type ReviewService } from '../src/index.js';

const quietLogger = createLogger({ name: 'review-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

type Stack = Awaited<ReturnType<typeof startAuthStack>>;

/** The first paragraph's text of a client's document. */
function paragraph(doc: Y.Doc, index = 0): Y.XmlText {
  return (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

/** The anchor of `word` in the first paragraph, as the editor computes it from a selection. */
function anchorOn(doc: Y.Doc, word: string) {
  const text = paragraph(doc);
  const at = text.toString().indexOf(word);
  assert.ok(at >= 0, `"${word}" in "${text.toString()}"`);
  return anchorFromTypeIndices({ type: text as Y.AbstractType<unknown>, index: at }, { type: text as Y.AbstractType<unknown>, index: at + word.length });
}

describe('comments API on a live document (services/review + a real sync node + real auth)', () => {
  let stack: Stack;
  let service: ReviewService;
  let app: Hono;
  const events: ReviewEvent[] = [];
  let alice: Session;
  let bob: Session;
  let cara: Session;
  let vic: Session;
  let documentId: string;
  let aliceClient: AuthedClient;

  const call = (who: Session, method: string, path: string, body?: unknown) =>
    app.request(`/api/docs/${documentId}/comments${path}`, {
      method,
      headers: { authorization: `Bearer ${who.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  async function createThread(who: Session, word: string, body = `About ${word}`): Promise<CommentThread> {
    const response = await call(who, 'POST', '', { anchor: anchorOn(aliceClient.doc, word), body });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { thread: CommentThread }).thread;
  }

  before(async () => {
    stack = await startAuthStack();
    service = createReviewService({
      delivery: inProcessReviewDelivery(stack.node.node),
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles: new PostgresDocumentRoleLookup(stack.db),
      sinks: [(event) => void events.push(event)],
    });
    app = new Hono().route('/', service.app);
    [alice, bob, cara, vic] = await Promise.all([guest(stack.auth.url), guest(stack.auth.url), guest(stack.auth.url), guest(stack.auth.url)]);
    documentId = await createDocument(stack.auth.url, alice.accessToken);
    for (const [who, role] of [
      [bob, 'editor'],
      [cara, 'commenter'],
      [vic, 'viewer'],
    ] as const) {
      // Through an invite link, as people join.
      const link = await api(stack.auth.url, 'POST', `/api/docs/${documentId}/share`, { token: alice.accessToken, body: { role } });
      assert.equal(link.status, 201, JSON.stringify(link.json));
      const accepted = await api(stack.auth.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: who.accessToken });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
    }
    // Alice has the document open and writes the text everyone comments on.
    aliceClient = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, alice.accessToken, documentId));
    await waitFor(() => aliceClient.provider.isSynced, { message: 'alice synced' });
    const block = new Y.XmlElement('paragraph');
    aliceClient.doc.getXmlFragment('default').insert(0, [block]);
    block.insert(0, [new Y.XmlText('Our product is fast and friendly.')]);
    await waitFor(async () => {
      const held = stack.node.node.hocuspocus.documents.get(documentId);
      assert.equal(held?.getXmlFragment('default').toString().includes('fast and friendly'), true);
    });
  });
  after(async () => {
    aliceClient?.destroy();
    await stack?.stop();
  });

  test('COMMENT5 a thread opened through the API reaches a connected editor live and is stored in the update log', async () => {
    const thread = await createThread(cara, 'fast', 'Can we prove "fast"?');
    assert.equal(thread.quote, 'fast', 'the server quotes the text it holds');
    assert.equal(thread.authorId, cara.user.id);
    await waitFor(() => assert.deepEqual(readThreads(aliceClient.doc).map((t) => [t.id, t.replies[0]?.body]), [[thread.id, 'Can we prove "fast"?']]));
    await stack.node.node.writer.flush();
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await new DocumentStore(stack.db).loadMerged(documentId))!);
    assert.ok(readThreads(stored).some((t) => t.id === thread.id), 'the thread is in Postgres');
    const listed = await call(vic, 'GET', '');
    assert.equal(listed.status, 200);
    const { threads } = (await listed.json()) as { threads: Array<{ id: string; detached: boolean; currentText: string }> };
    assert.deepEqual(
      threads.filter((t) => t.id === thread.id).map((t) => [t.detached, t.currentText]),
      [[false, 'fast']],
    );
  });

  test('COMMENT6 roles: viewers read only; commenters comment and reply; only authors edit or delete their comments; only the author, editors and owners resolve', async () => {
    const caras = await createThread(cara, 'product');
    const bobs = await createThread(bob, 'friendly');
    assert.equal((await call(vic, 'POST', '', { anchor: anchorOn(aliceClient.doc, 'Our'), body: 'hi' })).status, 403, 'a viewer cannot comment');
    assert.equal((await call(vic, 'POST', `/${caras.id}/replies`, { body: 'hi' })).status, 403, 'nor reply');
    const stranger = await guest(stack.auth.url);
    assert.equal((await call(stranger, 'GET', '')).status, 404, 'no role: the document does not exist for them');

    const aliceReply = await call(alice, 'POST', `/${caras.id}/replies`, { body: 'Source: benchmark' });
    assert.equal(aliceReply.status, 201);
    const { reply } = (await aliceReply.json()) as { reply: { id: string } };
    assert.equal((await call(cara, 'PATCH', `/${caras.id}/replies/${reply.id}`, { body: 'hacked' })).status, 403, "Cara cannot edit Alice's reply");
    assert.equal((await call(cara, 'DELETE', `/${caras.id}/replies/${reply.id}`)).status, 403, 'nor delete it');
    const edited = await call(alice, 'PATCH', `/${caras.id}/replies/${reply.id}`, { body: 'Source: 2026 benchmark' });
    assert.equal(edited.status, 200);
    assert.ok(((await edited.json()) as { reply: { editedAt: string | null } }).reply.editedAt);

    assert.equal((await call(cara, 'POST', `/${bobs.id}/resolve`)).status, 403, "a commenter cannot resolve someone else's thread");
    assert.equal((await call(cara, 'POST', `/${caras.id}/resolve`)).status, 200, 'but can resolve her own');
    assert.equal((await call(cara, 'POST', `/${caras.id}/reopen`)).status, 200, 'and reopen it');
    const resolved = await call(bob, 'POST', `/${caras.id}/resolve`);
    assert.equal(resolved.status, 200, 'an editor resolves anyone’s thread');
    assert.deepEqual(((await resolved.json()) as { thread: CommentThread }).thread.resolvedBy, { userId: bob.user.id, name: bob.user.name });
    assert.equal((await call(alice, 'POST', `/${bobs.id}/resolve`)).status, 200, 'the owner too');

    assert.equal((await call(cara, 'DELETE', `/${caras.id}/replies/${caras.replies[0]!.id}`)).status, 204, 'Cara deletes her opening comment');
    await waitFor(() => assert.equal(readThreads(aliceClient.doc).find((t) => t.id === caras.id)?.replies[0]?.deleted, true));
    const { threads } = (await (await call(alice, 'GET', '')).json()) as { threads: Array<{ id: string }> };
    assert.equal(threads.some((t) => t.id === caras.id), false, 'a thread whose opening comment is deleted is no longer listed');
    assert.equal((await call(alice, 'POST', `/${caras.id}/replies`, { body: 'late' })).status, 404);
  });

  test('COMMENT7 every request is validated and bounded: 400 with the issues, 413 over the size, 404 for unknown ids, nothing written', async () => {
    const before = Y.encodeStateVector(stack.node.node.hocuspocus.documents.get(documentId)!);
    const anchor = anchorOn(aliceClient.doc, 'fast');
    for (const [body, status, issue] of [
      [{ anchor, body: '   ' }, 400, 'body'],
      [{ anchor, body: 'x'.repeat(COMMENT_LIMITS.maxBodyChars + 1) }, 400, 'body'],
      [{ anchor, body: 'ok', extra: 1 }, 400, ''],
      [{ anchor: { start: 'not base64!', end: anchor.end }, body: 'ok' }, 400, 'anchor.start'],
      [{ anchor: { start: anchor.end, end: anchor.start }, body: 'ok' }, 400, null],
      ['{not json', 400, ''],
      [{ anchor, body: 'x'.repeat(COMMENT_LIMITS.maxRequestBytes) }, 413, null],
    ] as const) {
      const response = await call(cara, 'POST', '', body);
      assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
      if (issue !== null) {
        const error = (await response.json()) as { error: string; issues?: Array<{ path: string }> };
        assert.equal(error.error, 'invalid_request');
        assert.ok(error.issues?.some((i) => i.path === issue), JSON.stringify(error.issues));
      }
    }
    // An anchor on text the server does not hold (typed in a replica it never saw): 409, retry later.
    const elsewhere = new Y.Doc();
    const block = new Y.XmlElement('paragraph');
    elsewhere.getXmlFragment('default').insert(0, [block]);
    const text = new Y.XmlText('unsaved words');
    block.insert(0, [text]);
    const unsaved = anchorFromTypeIndices({ type: text as Y.AbstractType<unknown>, index: 0 }, { type: text as Y.AbstractType<unknown>, index: 7 });
    assert.equal((await call(cara, 'POST', '', { anchor: unsaved, body: 'ok' })).status, 409);
    assert.equal((await call(cara, 'POST', '/no-such-thread/replies', { body: 'ok' })).status, 404);
    assert.equal((await call(cara, 'POST', '/..%2F..%2Fx/replies', { body: 'ok' })).status, 404);
    const after = Y.encodeStateVector(stack.node.node.hocuspocus.documents.get(documentId)!);
    assert.deepEqual(after, before, 'no refused request wrote anything');
  });

  test('COMMENT8 one typed event per change, with the thread author and participants (what notifications hook into)', async () => {
    events.length = 0;
    const thread = await createThread(cara, 'and');
    await call(alice, 'POST', `/${thread.id}/replies`, { body: 'ok' });
    await call(bob, 'POST', `/${thread.id}/resolve`);
    assert.deepEqual(
      events.map((e) => [e.type, e.actor.userId, e.threadAuthorId]),
      [
        ['thread-created', cara.user.id, cara.user.id],
        ['reply-added', alice.user.id, cara.user.id],
        ['thread-resolved', bob.user.id, cara.user.id],
      ],
    );
    assert.deepEqual(new Set(events[2]!.participantIds), new Set([cara.user.id, alice.user.id, bob.user.id]));
  });

  test("COMMENT9 a commenter's (read-only) and an editor's raw Yjs write to comments over the socket closes 4422 and changes nothing", async () => {
    const thread = await createThread(cara, 'Our');
    for (const who of [cara, bob]) {
      const client = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, who.accessToken, documentId));
      try {
        await waitFor(() => assert.ok(readThreads(client.doc).some((t) => t.id === thread.id)));
        const held = stack.node.node.hocuspocus.documents.get(documentId)!;
        const before = Y.encodeStateVector(held);
        // Straight into the Y.Doc, as a hostile client would: resolve someone's thread and plant a reply.
        client.doc.transact(() => {
          const map = client.doc.getMap('comments').get(thread.id) as Y.Map<unknown>;
          map.set('resolved', true);
          client.doc.getMap('comments').set('forged', new Y.Map());
        });
        await waitFor(() => assert.ok(client.closes.includes(CloseCodes.BadUpdate.reason), `closes: ${client.closes.join(', ')}`));
        assert.deepEqual(Y.encodeStateVector(held), before, 'the document is unchanged');
        assert.equal(held.getMap('comments').has('forged'), false);
        assert.equal(readThreads(held).find((t) => t.id === thread.id)?.resolved, false);
      } finally {
        client.destroy();
      }
    }
    // Alice's honest connection still works.
    paragraph(aliceClient.doc).insert(0, 'Now: ');
    await waitFor(() => assert.ok(paragraph(stack.node.node.hocuspocus.documents.get(documentId)!).toString().startsWith('Now: ')));
  });

  test('COMMENT10 standalone: a change computed against the stored state is appended to the log and published as a review external update that the node applies live', async () => {
    await stack.node.node.writer.flush();
    const published: string[] = [];
    const delivery = storedReviewDelivery({
      store: new DocumentStore(stack.db),
      channelPrefix: 'test',
      originNode: 'review-test',
      // Stands in for Redis: the node's external-updates listener does exactly this with each message.
      publisher: {
        async publish(channel, message) {
          published.push(channel);
          const decoded = decodeExternalUpdate(message);
          assert.equal(decoded?.source, 'review');
          applyExternalUpdate(stack.node.node.hocuspocus, decoded!);
        },
      },
    });
    const standalone = createReviewService({
      delivery,
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles: new PostgresDocumentRoleLookup(stack.db),
    });
    const response = await new Hono().route('/', standalone.app).request(`/api/docs/${documentId}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cara.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ anchor: anchorOn(aliceClient.doc, 'friendly'), body: 'From the sidecar' }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const { thread } = (await response.json()) as { thread: CommentThread };
    assert.deepEqual(published, ['test:external-updates']);
    await waitFor(() => assert.ok(readThreads(aliceClient.doc).some((t) => t.id === thread.id)), { message: 'live at the connected client' });
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await new DocumentStore(stack.db).loadMerged(documentId))!);
    assert.ok(readThreads(stored).some((t) => t.id === thread.id));
  });
});

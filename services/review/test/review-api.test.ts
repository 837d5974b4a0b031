import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { DocumentStore } from '@copycloud/db';
import { createLogger } from '@copycloud/observability';
import { CloseCodes, COMMENT_LIMITS, decodeExternalUpdate, SUGGESTION_LIMITS, type CommentEvent, type CommentThread, type CreatedSuggestion, type ReviewEvent } from '@copycloud/protocol';
import { anchorFromTypeIndices, readThreads } from '@copycloud/schema/comments';
import { SUGGESTION_DELETE_MARK, SUGGESTION_INSERT_MARK } from '@copycloud/schema/extensions';
import { waitFor } from '@copycloud/testing';
import { applyExternalUpdate } from '@copycloud/sync-server';
import { api, createDocument, documentToken, guest, type Session } from '../../auth/test/helpers.js';
import { connectWithToken, startAuthStack, type AuthedClient } from '../../../sync-server/test/auth-helpers.js';
import { createReviewService, inProcessReviewDelivery, PostgresDocumentOwners, storedReviewDelivery, type ReviewService } from '../src/index.js';

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

/** The suggestion positions of `word` in paragraph `index` (from before its first character, to after its last), as the editor sends them. */
function rangeOn(doc: Y.Doc, index: number, word: string) {
  const text = paragraph(doc, index);
  const at = plain(text).indexOf(word);
  assert.ok(at >= 0, `"${word}" in "${plain(text)}"`);
  const { start, end } = anchorFromTypeIndices({ type: text as Y.AbstractType<unknown>, index: at }, { type: text as Y.AbstractType<unknown>, index: at + word.length });
  return { from: start, to: end };
}

/** The characters of a text, struck and inserted ones included (Y.XmlText's toString() writes marks as tags). */
function plain(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: string }>).map((op) => op.insert).join('');
}

/** A paragraph's text as runs: [text, 'insert' | 'delete' | '', authorId]. */
function runs(text: Y.XmlText): Array<[string, string, string]> {
  return (text.toDelta() as Array<{ insert: string; attributes?: Record<string, { authorId?: string }> }>).map((op) => {
    const insert = op.attributes?.[SUGGESTION_INSERT_MARK];
    const del = op.attributes?.[SUGGESTION_DELETE_MARK];
    return [op.insert, insert ? 'insert' : del ? 'delete' : '', (insert ?? del)?.authorId ?? ''];
  });
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

  /**
   * The standalone sidecar's delivery (stored state, appended to the log),
   * published to a stand-in for Redis that does exactly what the node's
   * external-updates listener does with each message; channels land in `published`.
   */
  function standaloneDelivery(published: string[]) {
    return storedReviewDelivery({
      store: new DocumentStore(stack.db),
      channelPrefix: 'test',
      originNode: 'review-test',
      publisher: {
        async publish(channel, message) {
          published.push(channel);
          const decoded = decodeExternalUpdate(message);
          assert.equal(decoded?.source, 'review');
          applyExternalUpdate(stack.node.node.hocuspocus, decoded!);
        },
      },
    });
  }

  before(async () => {
    stack = await startAuthStack();
    service = createReviewService({
      delivery: inProcessReviewDelivery(stack.node.node),
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles: new PostgresDocumentRoleLookup(stack.db),
      owners: new PostgresDocumentOwners(stack.db),
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
    const threadEvents = events.filter((e): e is CommentEvent => e.type !== 'suggestion-created');
    assert.deepEqual(
      threadEvents.map((e) => [e.type, e.actor.userId, e.threadAuthorId]),
      [
        ['thread-created', cara.user.id, cara.user.id],
        ['reply-added', alice.user.id, cara.user.id],
        ['thread-resolved', bob.user.id, cara.user.id],
      ],
    );
    assert.deepEqual(new Set(threadEvents[2]!.participantIds), new Set([cara.user.id, alice.user.id, bob.user.id]));
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
    const delivery = standaloneDelivery(published);
    const standalone = createReviewService({
      delivery,
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles: new PostgresDocumentRoleLookup(stack.db),
      owners: new PostgresDocumentOwners(stack.db),
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
  describe('suggestions through the API (commenters suggest; their socket stays read-only)', () => {
    /** Paragraph index of the text these tests suggest on (appended by Alice, so comment tests above are untouched). */
    let at = 0;
    const suggest = (who: Session, body: unknown) =>
      app.request(`/api/docs/${documentId}/suggestions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const held = () => stack.node.node.hocuspocus.documents.get(documentId)!;

    before(async () => {
      const fragment = aliceClient.doc.getXmlFragment('default');
      at = fragment.length;
      for (const words of ['Ship it on Monday with care.', 'Second line here.']) {
        const block = new Y.XmlElement('paragraph');
        fragment.insert(fragment.length, [block]);
        block.insert(0, [new Y.XmlText(words)]);
      }
      await waitFor(() => assert.equal(plain(paragraph(held(), at + 1)), 'Second line here.'));
    });

    test('SUGGEST7 a commenter’s suggestion (replace "Monday" with "Tuesday") is written as Suggesting mode writes it, reaches a connected editor live and is in the update log', async () => {
      const response = await suggest(cara, { ...rangeOn(aliceClient.doc, at, 'Monday'), text: 'Tuesday' });
      assert.equal(response.status, 201, await response.clone().text());
      const { suggestion } = (await response.json()) as { suggestion: CreatedSuggestion };
      assert.deepEqual({ ...suggestion, id: typeof suggestion.id }, { id: 'string', quote: 'Monday', text: 'Tuesday', deletedChars: 6, insertedChars: 7 });
      const expected: Array<[string, string, string]> = [
        ['Ship it on ', '', ''],
        ['Monday', 'delete', cara.user.id],
        ['Tuesday', 'insert', cara.user.id],
        [' with care.', '', ''],
      ];
      await waitFor(() => assert.deepEqual(runs(paragraph(aliceClient.doc, at)), expected), { message: 'live at Alice’s client' });
      const marks = (paragraph(aliceClient.doc, at).toDelta() as Array<{ attributes?: Record<string, { id: string; authorName: string }> }>)
        .flatMap((op) => Object.values(op.attributes ?? {}));
      assert.deepEqual(new Set(marks.map((m) => m.id)), new Set([suggestion.id]), 'both halves carry the one suggestion id');
      assert.ok(marks.every((m) => m.authorName === cara.user.name));
      await stack.node.node.writer.flush();
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await new DocumentStore(stack.db).loadMerged(documentId))!);
      assert.deepEqual(runs(paragraph(stored, at)), expected, 'in Postgres');
    });

    test('SUGGEST7 roles: commenters, editors and owners suggest; a viewer gets 403, a stranger 404, no token 401', async () => {
      for (const [who, word, status] of [
        [vic, 'Ship', 403],
        [bob, 'care', 201],
        [alice, 'it', 201],
      ] as const) {
        const response = await suggest(who, { ...rangeOn(aliceClient.doc, at, word), text: '' });
        assert.equal(response.status, status, `${word}: ${await response.clone().text()}`);
      }
      const stranger = await guest(stack.auth.url);
      assert.equal((await suggest(stranger, { ...rangeOn(aliceClient.doc, at, 'Ship'), text: 'x' })).status, 404);
      const anonymous = await app.request(`/api/docs/${documentId}/suggestions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...rangeOn(aliceClient.doc, at, 'Ship'), text: 'x' }) });
      assert.equal(anonymous.status, 401);
      // Deletions proposed by Bob and Alice: struck, nothing removed.
      await waitFor(() => assert.deepEqual(runs(paragraph(aliceClient.doc, at)).filter((r) => r[1] === 'delete').map((r) => r[0]), ['it', 'Monday', 'care']));
      assert.ok(plain(paragraph(aliceClient.doc, at)).startsWith('Ship it on MondayTuesday with care.'));
    });

    test('SUGGEST7 every request is validated and bounded (400 with issues, 413), refused writer cases are 400, and nothing is written', async () => {
      const before = Y.encodeStateVector(held());
      const word = rangeOn(aliceClient.doc, at + 1, 'line');
      const acrossBlocks = { from: rangeOn(aliceClient.doc, at, 'Ship').from, to: word.to };
      for (const [body, status, issue] of [
        [{ ...word }, 400, 'text'],
        [{ ...word, text: 'x', extra: 1 }, 400, ''],
        [{ ...word, text: 'x'.repeat(SUGGESTION_LIMITS.maxTextChars + 1) }, 400, 'text'],
        [{ from: 'not base64!', to: word.to, text: 'x' }, 400, 'from'],
        [{ ...word, text: 'two\nlines' }, 400, 'text'],
        [{ ...word, text: 'bell\u0007' }, 400, 'text'],
        [{ from: word.from, to: word.from, text: '' }, 400, 'text'],
        [{ from: word.to, to: word.from, text: 'x' }, 400, 'from'],
        [{ ...acrossBlocks, text: 'x' }, 400, 'from'],
        ['{not json', 400, ''],
        [{ ...word, text: 'x'.repeat(COMMENT_LIMITS.maxRequestBytes) }, 413, null],
      ] as const) {
        const response = await suggest(cara, body);
        assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
        if (issue !== null) {
          const error = (await response.json()) as { error: string; issues?: Array<{ path: string }> };
          assert.equal(error.error, 'invalid_request');
          assert.ok(error.issues?.some((i) => i.path === issue), `${JSON.stringify(body).slice(0, 60)}: ${JSON.stringify(error.issues)}`);
        }
      }
      assert.deepEqual(Y.encodeStateVector(held()), before, 'no refused request wrote anything');
      assert.equal(plain(paragraph(held(), at + 1)), 'Second line here.');
    });

    test('SUGGEST7 positions on text the server does not hold yet answer 409; the same request succeeds once the edit arrives (what the editor retries)', async () => {
      // Alice's next edit, made on a copy of her document that has not been sent yet.
      const pending = new Y.Doc();
      Y.applyUpdate(pending, Y.encodeStateAsUpdate(aliceClient.doc));
      const svBefore = Y.encodeStateVector(pending);
      paragraph(pending, at + 1).insert(0, 'Fresh words. ');
      const request = { ...rangeOn(pending, at + 1, 'Fresh'), text: 'New' };
      const early = await suggest(cara, request);
      assert.equal(early.status, 409);
      assert.equal(((await early.json()) as { error: string }).error, 'anchor_not_found');
      Y.applyUpdate(aliceClient.doc, Y.encodeStateAsUpdate(pending, svBefore));
      await waitFor(() => assert.ok(plain(paragraph(held(), at + 1)).startsWith('Fresh words.')));
      const retried = await suggest(cara, request);
      assert.equal(retried.status, 201, await retried.clone().text());
      await waitFor(() => assert.deepEqual(runs(paragraph(aliceClient.doc, at + 1)).slice(0, 2), [['Fresh', 'delete', cara.user.id], ['New', 'insert', cara.user.id]]));
    });

    test('SUGGEST7 from = to with text proposes an insertion there (nothing struck)', async () => {
      const { to } = rangeOn(aliceClient.doc, at + 1, 'line');
      events.length = 0;
      const response = await suggest(cara, { from: to, to, text: ' of text' });
      assert.equal(response.status, 201, await response.clone().text());
      const { suggestion } = (await response.json()) as { suggestion: CreatedSuggestion };
      assert.deepEqual([suggestion.quote, suggestion.deletedChars, suggestion.insertedChars], ['', 0, 8]);
      assert.ok(events[0]?.type === 'suggestion-created' && events[0].quote === '');
      await waitFor(() => assert.ok(runs(paragraph(aliceClient.doc, at + 1)).some((r) => r[0] === ' of text' && r[1] === 'insert'), JSON.stringify(runs(paragraph(aliceClient.doc, at + 1)))));
      assert.ok(plain(paragraph(aliceClient.doc, at + 1)).includes('line of text'));
    });

    test('SUGGEST7 standalone: the review sidecar computes the suggestion against the stored state, appends it and publishes it as a review external update the node applies live', async () => {
      await stack.node.node.writer.flush();
      const published: string[] = [];
      const standalone = createReviewService({
        delivery: standaloneDelivery(published),
        logger: quietLogger,
        verifier: createJwksVerifier({ jwksUrl: `${stack.auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
        roles: new PostgresDocumentRoleLookup(stack.db),
        owners: new PostgresDocumentOwners(stack.db),
      });
      const response = await new Hono().route('/', standalone.app).request(`/api/docs/${documentId}/suggestions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cara.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...rangeOn(aliceClient.doc, at + 1, 'Second'), text: 'Next' }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      assert.deepEqual(published, ['test:external-updates']);
      const proposed = (doc: Y.Doc) => runs(paragraph(doc, at + 1)).filter((r) => r[2] === cara.user.id && (r[0] === 'Second' || r[0] === 'Next'));
      const expected = [['Second', 'delete', cara.user.id], ['Next', 'insert', cara.user.id]];
      await waitFor(() => assert.deepEqual(proposed(aliceClient.doc), expected), { message: 'live at the connected client' });
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await new DocumentStore(stack.db).loadMerged(documentId))!);
      assert.deepEqual(proposed(stored), expected, 'in the update log');
    });

    test('SUGGEST8 one suggestion-created event names the authors of the touched text — the owners and whoever proposed text inside it — never the actor', async () => {
      events.length = 0;
      const response = await suggest(cara, { ...rangeOn(aliceClient.doc, at + 1, 'here'), text: 'there' });
      assert.equal(response.status, 201);
      const { suggestion } = (await response.json()) as { suggestion: CreatedSuggestion };
      assert.deepEqual(events.map((e) => e.type), ['suggestion-created']);
      const created = events[0]!;
      assert.ok(created.type === 'suggestion-created');
      assert.deepEqual(
        { id: created.suggestionId, actor: created.actor.userId, quote: created.quote, text: created.text, to: created.textAuthorIds },
        { id: suggestion.id, actor: cara.user.id, quote: 'here', text: 'there', to: [alice.user.id] },
      );
      // Bob strikes Cara's proposed "there": Cara's text now, and still Alice's document.
      events.length = 0;
      assert.equal((await suggest(bob, { ...rangeOn(aliceClient.doc, at + 1, 'there'), text: '' })).status, 201);
      const second = events[0]!;
      assert.ok(second.type === 'suggestion-created');
      assert.deepEqual(new Set(second.textAuthorIds), new Set([alice.user.id, cara.user.id]));
      // The owner suggesting on her own document notifies nobody.
      events.length = 0;
      assert.equal((await suggest(alice, { ...rangeOn(aliceClient.doc, at + 1, 'line'), text: 'row' })).status, 201);
      assert.ok(events[0]!.type === 'suggestion-created');
      assert.deepEqual(events[0]!.textAuthorIds, []);
    });

    test('SUGGEST9 a commenter’s own text edits over the socket change nothing (read-only), while the same person suggests through the API', async () => {
      const client = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, cara.accessToken, documentId));
      try {
        await waitFor(() => assert.ok(client.provider.isSynced));
        const before = plain(paragraph(held(), at));
        paragraph(client.doc, at).insert(0, 'CARA WAS HERE ');
        // Alice writes after Cara on the same paragraph: once Cara sees it, her own update had its chance.
        paragraph(aliceClient.doc, at).insert(paragraph(aliceClient.doc, at).length, '!');
        await waitFor(() => assert.ok(plain(paragraph(client.doc, at)).endsWith('!')));
        await waitFor(() => assert.equal(plain(paragraph(held(), at)), `${before}!`));
        assert.equal(plain(paragraph(aliceClient.doc, at)), `${before}!`, 'nor reached Alice');
      } finally {
        client.destroy();
      }
    });
  });
});

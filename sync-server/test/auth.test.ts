import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { waitFor } from '@copycloud/testing';
import { api, createDocument, documentToken, forgedTokens, guest, signup } from '../../services/auth/test/helpers.js';
import { connectWithToken, openYjs, startAuthStack, yjsUpgradeStatus } from './auth-helpers.js';

type Stack = Awaited<ReturnType<typeof startAuthStack>>;

async function storedText(stack: Stack, documentId: string): Promise<string> {
  await stack.node.node.writer.flushDocument(documentId);
  const state = await stack.node.node.store.loadMerged(documentId);
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}

/** Shares `documentId` with a fresh guest at `role`; returns the guest's session. */
async function shareWith(stack: Stack, ownerToken: string, documentId: string, role: 'editor' | 'commenter' | 'viewer') {
  const link = await api(stack.auth.url, 'POST', `/api/docs/${documentId}/share`, { token: ownerToken, body: { role } });
  assert.equal(link.status, 201);
  const member = await guest(stack.auth.url);
  const accepted = await api(stack.auth.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: member.accessToken });
  assert.equal(accepted.status, 200);
  assert.equal(accepted.json.role, role);
  return { member, linkId: link.json.link.id as string };
}

describe('sync node enforces document tokens', () => {
  let stack: Stack;
  before(async () => {
    stack = await startAuthStack();
  });
  after(() => stack.stop());

  test('AUTH10 forged, stale and misdirected tokens are refused on /sync and /yjs/ before the document loads', async () => {
    const owner = await signup(stack.auth.url);
    const documentId = await createDocument(stack.auth.url, owner.accessToken);
    const forged = await forgedTokens(stack.db, {
      aud: 'copycloud-sync',
      sub: owner.user.id,
      claims: { doc: documentId, role: 'owner', name: 'x', color: '#000000' },
    });
    // An access token is not a document token.
    forged['access token instead of document token'] = owner.accessToken;
    forged['garbage'] = 'not.a.jwt';
    for (const [name, token] of Object.entries(forged)) {
      const client = connectWithToken(stack.node.syncUrl, documentId, token);
      await waitFor(() => assert.equal(client.failures.length, 1), { message: `${name}: refused` });
      assert.equal(client.provider.isSynced, false, name);
      assert.equal(stack.node.node.hocuspocus.documents.has(documentId), false, `${name}: document must not load`);
      client.destroy();
      assert.equal(await yjsUpgradeStatus(stack.node.httpUrl, documentId, token), 401, `${name} on /yjs/`);
    }
    // The genuine token works on both endpoints (so the refusals above are not vacuous).
    const good = await documentToken(stack.auth.url, owner.accessToken, documentId);
    const client = connectWithToken(stack.node.syncUrl, documentId, good);
    await waitFor(() => assert.ok(client.provider.isSynced));
    assert.equal(await yjsUpgradeStatus(stack.node.httpUrl, documentId, good), 101);
    client.destroy();
  });

  test('AUTH11 an editor of document A cannot open document B (auth API nor node)', async () => {
    const alice = await signup(stack.auth.url);
    const bob = await guest(stack.auth.url);
    const docA = await createDocument(stack.auth.url, bob.accessToken);
    const docB = await createDocument(stack.auth.url, alice.accessToken);
    const tokenA = await documentToken(stack.auth.url, bob.accessToken, docA);
    const refusedToken = await api(stack.auth.url, 'POST', `/api/docs/${docB}/token`, { token: bob.accessToken });
    assert.equal(refusedToken.status, 404);
    const client = connectWithToken(stack.node.syncUrl, docB, tokenA);
    await waitFor(() => assert.equal(client.failures.length, 1));
    assert.equal(stack.node.node.hocuspocus.documents.has(docB), false);
    client.destroy();
    assert.equal(await yjsUpgradeStatus(stack.node.httpUrl, docB, tokenA), 401);
  });

  test('AUTH12 a viewer sees live edits but its own updates never reach the node, other clients or Postgres', async () => {
    const owner = await signup(stack.auth.url);
    const documentId = await createDocument(stack.auth.url, owner.accessToken);
    const { member: viewer } = await shareWith(stack, owner.accessToken, documentId, 'viewer');
    const ownerClient = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, owner.accessToken, documentId));
    const viewerClient = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, viewer.accessToken, documentId));
    await waitFor(() => assert.ok(ownerClient.provider.isSynced && viewerClient.provider.isSynced));
    ownerClient.text.insert(0, 'from the owner');
    await waitFor(() => assert.equal(viewerClient.text.toString(), 'from the owner'));
    viewerClient.text.insert(0, 'VIEWER WAS HERE ');
    // The owner writes after the viewer: once this arrives everywhere, the viewer's update had its chance.
    ownerClient.text.insert(ownerClient.text.length, '!');
    await waitFor(() => assert.ok(viewerClient.text.toString().endsWith('!')));
    await waitFor(async () => assert.equal(await storedText(stack, documentId), 'from the owner!'));
    assert.equal(ownerClient.text.toString(), 'from the owner!');
    assert.equal(stack.node.node.hocuspocus.documents.get(documentId)!.getText('t').toString(), 'from the owner!');
    ownerClient.destroy();
    viewerClient.destroy();
  });

  test('AUTH13 a removed member is dropped from the live session and refused on reconnect with the old token', async () => {
    const owner = await signup(stack.auth.url);
    const documentId = await createDocument(stack.auth.url, owner.accessToken);
    const { member } = await shareWith(stack, owner.accessToken, documentId, 'editor');
    const memberToken = await documentToken(stack.auth.url, member.accessToken, documentId);
    const ownerClient = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, owner.accessToken, documentId));
    const memberClient = connectWithToken(stack.node.syncUrl, documentId, memberToken);
    await waitFor(() => assert.ok(ownerClient.provider.isSynced && memberClient.provider.isSynced));
    memberClient.text.insert(0, 'allowed ');
    await waitFor(() => assert.equal(ownerClient.text.toString(), 'allowed '));

    const removed = await api(stack.auth.url, 'DELETE', `/api/docs/${documentId}/members/${member.user.id}`, { token: owner.accessToken });
    assert.equal(removed.status, 200);
    const document = stack.node.node.hocuspocus.documents.get(documentId)!;
    await waitFor(() => assert.equal(document.getConnections().length, 1), { message: 'member dropped' });
    await waitFor(() => assert.ok(memberClient.closes.includes('Forbidden')));
    memberClient.text.insert(0, 'after removal ');
    ownerClient.text.insert(ownerClient.text.length, 'end');
    await waitFor(async () => assert.equal(await storedText(stack, documentId), 'allowed end'));
    assert.equal(ownerClient.text.toString(), 'allowed end');
    memberClient.destroy();

    // Still-valid (unexpired) token, new connection: refused.
    const again = connectWithToken(stack.node.syncUrl, documentId, memberToken);
    await waitFor(() => assert.equal(again.failures.length, 1));
    again.destroy();
    assert.equal(await yjsUpgradeStatus(stack.node.httpUrl, documentId, memberToken), 401);
    const noToken = await api(stack.auth.url, 'POST', `/api/docs/${documentId}/token`, { token: member.accessToken });
    assert.equal(noToken.status, 404);
    ownerClient.destroy();
  });

  test('AUTH14 a revoked share link drops its members (y-websocket socket closed with 4403) and refuses them afterwards', async () => {
    const owner = await signup(stack.auth.url);
    const documentId = await createDocument(stack.auth.url, owner.accessToken);
    const { member, linkId } = await shareWith(stack, owner.accessToken, documentId, 'viewer');
    const memberToken = await documentToken(stack.auth.url, member.accessToken, documentId);
    const live = await openYjs(stack.node.httpUrl, documentId, memberToken);
    await waitFor(() => assert.equal(stack.node.node.hocuspocus.documents.get(documentId)?.getConnections().length, 1));
    const revoked = await api(stack.auth.url, 'DELETE', `/api/docs/${documentId}/share/${linkId}`, { token: owner.accessToken });
    assert.equal(revoked.status, 200);
    assert.deepEqual(revoked.json.removedMembers, [member.user.id]);
    const closed = await live.closed;
    assert.equal(closed.code, 4403);
    assert.equal(await yjsUpgradeStatus(stack.node.httpUrl, documentId, memberToken), 401);
    const client = connectWithToken(stack.node.syncUrl, documentId, memberToken);
    await waitFor(() => assert.equal(client.failures.length, 1));
    client.destroy();
    // The link itself no longer works.
    const other = await guest(stack.auth.url);
    const links = await api(stack.auth.url, 'GET', `/api/docs/${documentId}/share`, { token: owner.accessToken });
    assert.ok(links.json.links[0].revokedAt);
    void other;
  });

  test('AUTH15 demoting a live editor to viewer makes the connection read-only at once', async () => {
    const owner = await signup(stack.auth.url);
    const documentId = await createDocument(stack.auth.url, owner.accessToken);
    const { member } = await shareWith(stack, owner.accessToken, documentId, 'editor');
    const ownerClient = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, owner.accessToken, documentId));
    const memberClient = connectWithToken(stack.node.syncUrl, documentId, await documentToken(stack.auth.url, member.accessToken, documentId));
    await waitFor(() => assert.ok(ownerClient.provider.isSynced && memberClient.provider.isSynced));
    const put = await api(stack.auth.url, 'PUT', `/api/docs/${documentId}/members`, { token: owner.accessToken, body: { userId: member.user.id, role: 'viewer' } });
    assert.equal(put.status, 200);
    const document = stack.node.node.hocuspocus.documents.get(documentId)!;
    await waitFor(() => assert.ok(document.getConnections().every((c) => c.readOnly === (c.context.identity.userId === member.user.id))));
    memberClient.text.insert(0, 'demoted ');
    ownerClient.text.insert(0, 'owner');
    await waitFor(() => assert.ok(memberClient.text.toString().includes('owner')));
    await waitFor(async () => assert.equal(await storedText(stack, documentId), 'owner'));
    ownerClient.destroy();
    memberClient.destroy();
  });

  test('AUTH16 token renewal mid-session: a fresh token keeps the session, a forged one ends it', async () => {
    const owner = await signup(stack.auth.url);
    const documentId = await createDocument(stack.auth.url, owner.accessToken);
    let next: string = await documentToken(stack.auth.url, owner.accessToken, documentId);
    let fetched = 0;
    const client = connectWithToken(stack.node.syncUrl, documentId, async () => {
      fetched++;
      return next;
    });
    await waitFor(() => assert.ok(client.provider.isSynced));
    next = await documentToken(stack.auth.url, owner.accessToken, documentId);
    await client.provider.sendToken();
    client.text.insert(0, 'still editing');
    await waitFor(async () => assert.equal(await storedText(stack, documentId), 'still editing'));
    assert.ok(fetched >= 2);
    const document = stack.node.node.hocuspocus.documents.get(documentId)!;
    assert.equal(document.getConnections().length, 1);
    next = 'forged.token.value';
    await client.provider.sendToken();
    await waitFor(() => assert.equal(document.getConnections().length, 0));
    client.destroy();
  });
});

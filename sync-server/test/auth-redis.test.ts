import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AccessEventBus } from '@copycloud/auth-client';
import { createAccessEventBus } from '@copycloud/auth-client/access-event-bus';
import { openDatabase, type Database } from '@copycloud/db';
import { createTestSchema, waitFor, type TestSchema } from '@copycloud/testing';
import { api, createDocument, documentToken, guest, signup, startAuth, type RunningAuth } from '../../services/auth/test/helpers.js';
import { connectWithToken, startAuthedNode, type AuthedNode } from './auth-helpers.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('access changes pushed over Redis to every node', () => {
  let schema: TestSchema;
  let db: Database;
  let auth: RunningAuth;
  let nodes: AuthedNode[];
  const buses: (AccessEventBus & { ready: Promise<void> })[] = [];

  before(async () => {
    schema = await createTestSchema('authredis');
    db = await openDatabase({ url: schema.url });
    const prefix = `test-${randomBytes(6).toString('hex')}`;
    for (let i = 0; i < 3; i++) {
      const bus = createAccessEventBus({ redisUrl: REDIS_URL, prefix, onError: () => {} });
      await bus.ready;
      buses.push(bus);
    }
    auth = await startAuth({}, { db, events: buses[0]! });
    const jwks = `${auth.url}/.well-known/jwks.json`;
    nodes = [await startAuthedNode(db, jwks, buses[1]!, 'redis-node-1'), await startAuthedNode(db, jwks, buses[2]!, 'redis-node-2')];
  });
  after(async () => {
    for (const node of nodes) await node.stop();
    await auth.stop();
    for (const bus of buses) await bus.close();
    await db.close();
    await schema.drop();
  });

  test('AUTH17 removing a member drops their connection on another node within 5 s and refuses their token there', async () => {
    const owner = await signup(auth.url);
    const documentId = await createDocument(auth.url, owner.accessToken);
    const link = await api(auth.url, 'POST', `/api/docs/${documentId}/share`, { token: owner.accessToken, body: { role: 'editor' } });
    const member = await guest(auth.url);
    await api(auth.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: member.accessToken });
    const memberToken = await documentToken(auth.url, member.accessToken, documentId);
    const client = connectWithToken(nodes[1]!.syncUrl, documentId, memberToken);
    await waitFor(() => assert.ok(client.provider.isSynced));
    const document = nodes[1]!.node.hocuspocus.documents.get(documentId)!;
    assert.equal(document.getConnections().length, 1);

    const removed = await api(auth.url, 'DELETE', `/api/docs/${documentId}/members/${member.user.id}`, { token: owner.accessToken });
    assert.equal(removed.status, 200);
    await waitFor(() => assert.equal(document.getConnections().length, 0), { message: 'member dropped' });
    client.destroy();
    // The other node heard it too: the old token is refused there without any database lookup.
    const elsewhere = connectWithToken(nodes[0]!.syncUrl, documentId, memberToken);
    await waitFor(() => assert.equal(elsewhere.failures.length, 1));
    elsewhere.destroy();
  });
});

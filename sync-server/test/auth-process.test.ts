import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase, type Database } from '@copycloud/db';
import { createTestSchema, waitFor, type TestSchema } from '@copycloud/testing';
import { api, createDocument, documentToken, signup, startAuth, type RunningAuth } from '../../services/auth/test/helpers.js';
import { connectWithToken } from './auth-helpers.js';
import { spawnNode, type SpawnedNode } from './helpers.js';

describe('the real sync-server main verifies tokens against AUTH_JWKS_URL', () => {
  let schema: TestSchema;
  let db: Database;
  let auth: RunningAuth;
  let dir: string;
  let node: SpawnedNode;

  before(async () => {
    schema = await createTestSchema('authmain');
    db = await openDatabase({ url: schema.url });
    auth = await startAuth({}, { db });
    dir = await mkdtemp(join(tmpdir(), 'jwks-main-'));
    const file = join(dir, 'jwks.json');
    await writeFile(file, JSON.stringify((await api(auth.url, 'GET', '/.well-known/jwks.json')).json));
    node = await spawnNode({ AUTH_DISABLED: 'false', AUTH_JWKS_URL: pathToFileURL(file).href, DATABASE_URL: schema.url });
  });
  after(async () => {
    await node?.stop();
    await auth.stop();
    await db.close();
    await schema.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('AUTH18 a document token syncs; an access token and a token for another document are refused', async () => {
    const owner = await signup(auth.url);
    const documentId = await createDocument(auth.url, owner.accessToken);
    const otherId = await createDocument(auth.url, owner.accessToken);
    const good = connectWithToken(node.syncUrl, documentId, await documentToken(auth.url, owner.accessToken, documentId));
    await waitFor(() => assert.ok(good.provider.isSynced));
    good.destroy();
    const wrongKind = connectWithToken(node.syncUrl, documentId, owner.accessToken);
    const wrongDoc = connectWithToken(node.syncUrl, documentId, await documentToken(auth.url, owner.accessToken, otherId));
    await waitFor(() => assert.ok(wrongKind.failures.length === 1 && wrongDoc.failures.length === 1));
    wrongKind.destroy();
    wrongDoc.destroy();
    assert.ok(!node.lines.some((l) => l.includes('AUTH_DISABLED=true')), 'the node does not run open');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { openDatabase, type Database } from '@copycloud/db';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { startAuth, guest, createDocument, type RunningAuth } from '../../auth/test/helpers.js';
import { createSnapshotsService, type SnapshotsService } from '../src/index.js';
import { migrate, quietLogger, testConfig } from './helpers.js';

describe('versions API behind the real auth service (JWKS over HTTP, roles from document_members)', () => {
  let schema: TestSchema;
  let db: Database;
  let auth: RunningAuth;
  let service: SnapshotsService;
  let app: Hono;

  before(async () => {
    schema = await createTestSchema('snapauth');
    db = await openDatabase({ url: schema.url, dataDir: '' });
    auth = await startAuth({}, { db });
    await migrate(db);
    service = createSnapshotsService({
      config: testConfig(),
      db,
      logger: quietLogger,
      verifier: createJwksVerifier({ jwksUrl: `${auth.url}/.well-known/jwks.json`, issuer: 'copycloud' }),
      roles: new PostgresDocumentRoleLookup(db),
    });
    app = new Hono().route('/', service.app);
  });
  after(async () => {
    await service.stop();
    await auth.stop();
    await db.close();
    await schema.drop();
  });

  test('AUTH the owner names and lists versions; a stranger gets 404; a forged token 401', async () => {
    const owner = await guest(auth.url);
    const stranger = await guest(auth.url);
    const documentId = await createDocument(auth.url, owner.accessToken);
    const named = await app.request(`/api/docs/${documentId}/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kickoff' }),
    });
    assert.equal(named.status, 201);
    const { version } = (await named.json()) as { version: { author: { userId: string; name: string } } };
    assert.equal(version.author.userId, owner.user.id);
    assert.equal(version.author.name, owner.user.name);
    const listed = await app.request(`/api/docs/${documentId}/versions`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    assert.equal(((await listed.json()) as { versions: unknown[] }).versions.length, 1);
    assert.equal((await app.request(`/api/docs/${documentId}/versions`, { headers: { authorization: `Bearer ${stranger.accessToken}` } })).status, 404);
    const forged = owner.accessToken.slice(0, -4) + 'AAAA';
    assert.equal((await app.request(`/api/docs/${documentId}/versions`, { headers: { authorization: `Bearer ${forged}` } })).status, 401);
  });
});

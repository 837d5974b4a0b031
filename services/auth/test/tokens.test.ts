import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createJwksVerifier } from '@copycloud/auth-client';
import { api, createDocument, documentToken, forgedTokens, signup, startAuth, type RunningAuth } from './helpers.js';

describe('tokens and keys', () => {
  let s: RunningAuth;
  before(async () => {
    s = await startAuth();
  });
  after(() => s.stop());

  test('AUTH20 forged, stale and misdirected access tokens are refused on every bearer endpoint', async () => {
    const account = await signup(s.url);
    const documentId = await createDocument(s.url, account.accessToken);
    const forged = await forgedTokens(s.db, { aud: 'copycloud', sub: account.user.id, claims: { name: 'x', color: '#000000' } });
    forged['document token instead of access token'] = await documentToken(s.url, account.accessToken, documentId);
    const endpoints: [string, string][] = [
      ['GET', '/api/auth/me'],
      ['GET', '/api/docs'],
      ['POST', '/api/docs'],
      ['GET', `/api/docs/${documentId}`],
      ['POST', `/api/docs/${documentId}/token`],
      ['GET', `/api/docs/${documentId}/members`],
      ['POST', `/api/docs/${documentId}/share`],
    ];
    for (const [name, token] of Object.entries(forged)) {
      for (const [method, path] of endpoints) {
        const r = await api(s.url, method, path, { token, body: method === 'POST' && path.endsWith('/share') ? { role: 'viewer' } : undefined });
        assert.equal(r.status, 401, `${name}: ${method} ${path} answered ${r.status}`);
      }
    }
    const { rows } = await s.db.query<{ n: string }>('SELECT count(*) AS n FROM share_links');
    assert.equal(Number(rows[0]!.n), 0);
    // The genuine token passes (the refusals are not vacuous).
    assert.equal((await api(s.url, 'GET', '/api/auth/me', { token: account.accessToken })).status, 200);
  });

  test('AUTH21 key rotation: new tokens use the new kid, tokens of the old key stay valid, both keys are published', async () => {
    const account = await signup(s.url);
    const oldKid = decodeProtectedHeader(account.accessToken).kid;
    const newKid = await s.auth.rotateSigningKey();
    assert.notEqual(newKid, oldKid);
    const jwks = await api(s.url, 'GET', '/.well-known/jwks.json');
    assert.deepEqual(jwks.json.keys.map((k: { kid: string }) => k.kid).sort(), [oldKid, newKid].sort());
    for (const key of jwks.json.keys) assert.equal(key.d, undefined, 'no private part is published');
    assert.equal((await api(s.url, 'GET', '/api/auth/me', { token: account.accessToken })).status, 200);
    const login = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    assert.equal(decodeProtectedHeader(login.json.accessToken).kid, newKid);
    assert.equal((await api(s.url, 'GET', '/api/auth/me', { token: login.json.accessToken })).status, 200);
  });

  test('AUTH22 remote verifiers: http JWKS and file:// JWKS; an unknown kid refetches at most once per cooldown', async () => {
    const account = await signup(s.url);
    const documentId = await createDocument(s.url, account.accessToken);
    let fetches = 0;
    let jwksBody = JSON.stringify((await api(s.url, 'GET', '/.well-known/jwks.json')).json);
    const dir = await mkdtemp(join(tmpdir(), 'jwks-'));
    const file = join(dir, 'jwks.json');
    await writeFile(file, jwksBody);
    const fromFile = createJwksVerifier({ jwksUrl: pathToFileURL(file).href, issuer: 'copycloud' });
    const claims = await fromFile.verifyDocumentToken(await documentToken(s.url, account.accessToken, documentId));
    assert.equal(claims.documentId, documentId);
    assert.equal(claims.role, 'owner');

    // Count fetches through a tiny HTTP proxy of the JWKS.
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(jwksBody);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    // The key set's cache reads the clock: it is moved by hand past the cooldown below.
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const remote = createJwksVerifier({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: 'copycloud' });
    const identity = await remote.verifyAccessToken(account.accessToken);
    assert.equal(identity.userId, account.user.id);
    assert.equal(fetches, 1);
    // A token signed by a key the verifier has not seen yet: refused within the cooldown, accepted after it.
    await s.auth.rotateSigningKey();
    jwksBody = JSON.stringify((await api(s.url, 'GET', '/.well-known/jwks.json')).json);
    const fresh = (await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } })).json.accessToken;
    await assert.rejects(remote.verifyAccessToken(fresh), /unknown key/);
    await assert.rejects(remote.verifyAccessToken(fresh), /unknown key/);
    assert.equal(fetches, 1, 'no refetch inside the cooldown');
    mock.timers.tick(61_000);
    assert.equal((await remote.verifyAccessToken(fresh)).userId, account.user.id);
    assert.equal(fetches, 2);
    mock.timers.reset();
    server.close();
    await rm(dir, { recursive: true });
  });

  test('AUTH23 document token claims follow DESIGN.md', async () => {
    const account = await signup(s.url);
    const documentId = await createDocument(s.url, account.accessToken);
    const r = await api(s.url, 'POST', `/api/docs/${documentId}/token`, { token: account.accessToken });
    assert.equal(r.status, 200);
    const claims = decodeJwt(r.json.token);
    assert.equal(claims.aud, 'copycloud-sync');
    assert.equal(claims.iss, 'copycloud');
    assert.equal(claims.sub, account.user.id);
    assert.equal(claims['doc'], documentId);
    assert.equal(claims['role'], 'owner');
    assert.equal(claims['name'], account.user.name);
    assert.equal(claims['color'], account.user.color);
    assert.ok(claims.exp! - claims.iat! <= 900);
  });
});

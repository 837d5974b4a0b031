import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createDocument, guest, startAuth, type RunningAuth } from './helpers.js';

const INJECTIONS = [
  "' OR '1'='1",
  "x'); DROP TABLE users; --",
  '"; DELETE FROM document_members; --',
  "admin'--",
  '1; SELECT pg_sleep(10)',
  '$1',
];

async function rowCounts(s: RunningAuth): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['users', 'documents', 'document_members', 'share_links', 'auth_refresh_tokens']) {
    const { rows } = await s.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

describe('hostile input', () => {
  let s: RunningAuth;
  let token: string;
  let documentId: string;
  before(async () => {
    s = await startAuth({ corsOrigins: ['https://app.example.com'] });
    const g = await guest(s.url);
    token = g.accessToken;
    documentId = await createDocument(s.url, token);
  });
  after(() => s.stop());

  test('AUTH40 SQL injection strings in every body field and path parameter: 4xx, nothing stored, tables intact', async () => {
    const before = await rowCounts(s);
    for (const evil of INJECTIONS) {
      const calls: [string, string, unknown][] = [
        ['POST', '/api/auth/signup', { email: evil, password: evil }],
        ['POST', '/api/auth/login', { email: evil, password: evil }],
        ['POST', '/api/auth/refresh', { refreshToken: evil }],
        ['POST', '/api/auth/logout', { refreshToken: evil }],
        ['POST', '/api/auth/guest', { name: evil, extra: evil }],
        ['POST', '/api/docs', { title: 'x', owner: evil }],
        ['GET', `/api/docs/${encodeURIComponent(evil)}`, undefined],
        ['DELETE', `/api/docs/${encodeURIComponent(evil)}`, undefined],
        ['POST', `/api/docs/${encodeURIComponent(evil)}/token`, undefined],
        ['POST', `/api/docs/${documentId}/share`, { role: evil }],
        ['DELETE', `/api/docs/${documentId}/share/${encodeURIComponent(evil)}`, undefined],
        ['POST', `/api/invites/${encodeURIComponent(evil)}/accept`, undefined],
        ['PUT', `/api/docs/${documentId}/members`, { userId: evil, role: 'editor' }],
        ['DELETE', `/api/docs/${documentId}/members`, { userId: evil }],
        ['DELETE', `/api/docs/${documentId}/members/${encodeURIComponent(evil)}`, undefined],
      ];
      for (const [method, path, body] of calls) {
        const r = await api(s.url, method, path, { token, body });
        assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} with ${JSON.stringify(evil)} answered ${r.status}`);
      }
    }
    assert.deepEqual(await rowCounts(s), before);
  });

  test('AUTH41 bodies over 16 KiB get 413 on every endpoint, with or without Content-Length; nothing stored', async () => {
    const before = await rowCounts(s);
    const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(17 * 1024), title: 'y'.repeat(17 * 1024) });
    const paths: [string, string][] = [
      ['POST', '/api/auth/signup'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/guest'],
      ['POST', '/api/auth/refresh'],
      ['POST', '/api/auth/upgrade'],
      ['POST', '/api/docs'],
      ['POST', `/api/docs/${documentId}/share`],
      ['PUT', `/api/docs/${documentId}/members`],
      ['DELETE', `/api/docs/${documentId}/members`],
      ['POST', `/api/docs/${documentId}/token`],
      ['POST', `/api/invites/${'a'.repeat(43)}/accept`],
    ];
    for (const [method, path] of paths) {
      const r = await api(s.url, method, path, { token, rawBody: big, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 413, `${method} ${path}`);
      // Chunked: no Content-Length to trust.
      const chunked = await fetch(s.url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: new Blob([big]).stream(),
        duplex: 'half',
      } as RequestInit);
      assert.equal(chunked.status, 413, `${method} ${path} chunked`);
    }
    assert.deepEqual(await rowCounts(s), before);
  });

  test('AUTH42 malformed bodies get a 400 that says what was wrong', async () => {
    const notJson = await api(s.url, 'POST', '/api/auth/signup', { rawBody: '{nope', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
    assert.match(notJson.json.message, /not valid JSON/);
    const bad = await api(s.url, 'POST', '/api/auth/signup', { body: { email: 'not-an-email', password: 'short' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.issues.map((i: { path: string }) => i.path).sort(), ['email', 'password']);
    const share = await api(s.url, 'POST', `/api/docs/${documentId}/share`, { token, body: { role: 'viewer', expiresInHours: 1e9 } });
    assert.equal(share.status, 400);
    assert.equal(share.json.issues[0].path, 'expiresInHours');
  });

  test('AUTH43 CORS answers only the configured origins', async () => {
    const allowed = await fetch(`${s.url}/api/docs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.com');
    for (const origin of ['https://evil.example.com', 'null', 'https://app.example.com.evil.com']) {
      const denied = await fetch(`${s.url}/api/docs`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(denied.headers.get('access-control-allow-origin'), null, origin);
      const get = await fetch(`${s.url}/api/auth/me`, { headers: { origin, authorization: `Bearer ${token}` } });
      assert.equal(get.headers.get('access-control-allow-origin'), null, origin);
      assert.notEqual(get.headers.get('access-control-allow-origin'), '*');
    }
  });

  test('AUTH44 with no CORS_ORIGINS configured there are no CORS headers at all (same-origin only)', async () => {
    const plain = await startAuth();
    try {
      const r = await fetch(`${plain.url}/api/auth/guest`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
      assert.equal(r.headers.get('access-control-allow-origin'), null);
    } finally {
      await plain.stop();
    }
  });
});

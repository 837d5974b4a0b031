import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { api, createDocument, guest, signup, startAuth, type RunningAuth } from './helpers.js';
import { OWASP_SCRYPT_PARAMS, hashPassword, verifyPassword } from '../src/index.js';

describe('auth accounts over HTTP', () => {
  let s: RunningAuth;
  before(async () => {
    s = await startAuth();
  });
  after(() => s.stop());

  test('AUTH1 sign up, log in, me: access token claims are as DESIGN.md says', async () => {
    const account = await signup(s.url);
    const login = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email.toUpperCase(), password: account.password } });
    assert.equal(login.status, 200);
    const claims = decodeJwt(login.json.accessToken);
    const header = decodeProtectedHeader(login.json.accessToken);
    assert.equal(header.alg, 'EdDSA');
    assert.ok(header.kid);
    assert.equal(claims.iss, 'copycloud');
    assert.equal(claims.aud, 'copycloud');
    assert.equal(claims.sub, account.user.id);
    assert.equal(claims['name'], account.user.name);
    assert.match(String(claims['color']), /^#[0-9a-f]{6}$/);
    assert.ok(claims.exp! - claims.iat! <= 15 * 60, 'exp ≤ 15 min');
    const me = await api(s.url, 'GET', '/api/auth/me', { token: login.json.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.json.user.id, account.user.id);
    assert.equal(me.json.user.password_hash, undefined);
    const { rows } = await s.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [account.user.id]);
    assert.match(rows[0]!.password_hash, /^scrypt\$/);
    assert.ok(!rows[0]!.password_hash.includes(account.password));
  });

  test('AUTH2 bad credentials: same status and body for unknown user and wrong password', async () => {
    const account = await signup(s.url);
    const wrong = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: 'not the password' } });
    const unknown = await api(s.url, 'POST', '/api/auth/login', { body: { email: `nobody-${Date.now()}@example.com`, password: 'whatever it is' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, unknown.json);
    assert.equal(unknown.status, 401);
    const dup = await api(s.url, 'POST', '/api/auth/signup', { body: { email: account.email, password: 'another password' } });
    assert.equal(dup.status, 409);
  });

  test('AUTH3 brute force: the 11th wrong password in a minute for one account is 429, even with the right one', async () => {
    const account = await signup(s.url);
    for (let i = 1; i <= 10; i++) {
      const r = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: `guess number ${i}` } });
      assert.equal(r.status, 401, `attempt ${i}`);
    }
    const eleventh = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: 'guess number 11' } });
    assert.equal(eleventh.status, 429);
    assert.ok(Number(eleventh.headers.get('retry-after')) >= 1);
    const right = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    assert.equal(right.status, 429, 'the lock holds even for the right password');
    // Other accounts are not locked out by it.
    const other = await signup(s.url);
    const ok = await api(s.url, 'POST', '/api/auth/login', { body: { email: other.email, password: other.password } });
    assert.equal(ok.status, 200);
  });

  test('AUTH4 refresh tokens rotate; a spent token revokes its session; logout-all revokes everything', async () => {
    const account = await signup(s.url);
    const first = await api(s.url, 'POST', '/api/auth/refresh', { body: { refreshToken: account.refreshToken } });
    assert.equal(first.status, 200);
    assert.notEqual(first.json.refreshToken, account.refreshToken);
    assert.ok(first.json.accessToken);
    const { rows } = await s.db.query<{ n: string }>('SELECT count(*) AS n FROM auth_refresh_tokens WHERE token_hash = $1', [account.refreshToken]);
    assert.equal(Number(rows[0]!.n), 0, 'refresh tokens are stored hashed');
    // Replaying the spent token is refused and kills its successor too.
    const replay = await api(s.url, 'POST', '/api/auth/refresh', { body: { refreshToken: account.refreshToken } });
    assert.equal(replay.status, 401);
    const successor = await api(s.url, 'POST', '/api/auth/refresh', { body: { refreshToken: first.json.refreshToken } });
    assert.equal(successor.status, 401);

    const login1 = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    const login2 = await api(s.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    const out = await api(s.url, 'POST', '/api/auth/logout-all', { token: login1.json.accessToken });
    assert.equal(out.status, 200);
    assert.ok(out.json.revoked >= 2);
    for (const session of [login1, login2]) {
      const r = await api(s.url, 'POST', '/api/auth/refresh', { body: { refreshToken: session.json.refreshToken } });
      assert.equal(r.status, 401);
    }
  });

  test('AUTH5 guest: friendly name and colour; upgrade keeps the id and the documents', async () => {
    const g = await guest(s.url);
    assert.equal(g.user.guest, true);
    assert.match(g.user.name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    assert.equal(decodeJwt(g.accessToken)['guest'], true);
    const docId = await createDocument(s.url, g.accessToken);
    const email = `upgraded-${Date.now()}@example.com`;
    const up = await api(s.url, 'POST', '/api/auth/upgrade', { token: g.accessToken, body: { email, password: 'a good long password' } });
    assert.equal(up.status, 200);
    assert.equal(up.json.user.id, g.user.id);
    assert.equal(up.json.user.guest, false);
    const login = await api(s.url, 'POST', '/api/auth/login', { body: { email, password: 'a good long password' } });
    assert.equal(login.status, 200);
    const docs = await api(s.url, 'GET', '/api/docs', { token: login.json.accessToken });
    assert.deepEqual(docs.json.documents.map((d: { id: string }) => d.id), [docId]);
    const again = await api(s.url, 'POST', '/api/auth/upgrade', { token: login.json.accessToken, body: { email: `x${email}`, password: 'a good long password' } });
    assert.equal(again.status, 409);
  });

  test('AUTH6 passwords: OWASP scrypt parameters by default, constant-time verify', async () => {
    assert.deepEqual(OWASP_SCRYPT_PARAMS, { N: 131072, r: 8, p: 1 });
    const hash = await hashPassword('hunter2 hunter2');
    assert.match(hash, /^scrypt\$131072\$8\$1\$/);
    assert.equal(await verifyPassword(hash, 'hunter2 hunter2'), true);
    assert.equal(await verifyPassword(hash, 'hunter3 hunter3'), false);
    assert.equal(await verifyPassword('garbage', 'x'), false);
  });
});

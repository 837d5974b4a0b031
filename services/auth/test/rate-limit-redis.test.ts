// With REDIS_URL set, the brute-force limits are counted in Redis: two auth
// replicas (real mains, each its own process) share one bound, so an attacker
// alternating between them still gets LOGIN_FAILURES_PER_ACCOUNT tries, not twice that.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestSchema, spawnService, type SpawnedService, type TestSchema } from '@copycloud/testing';
import { LOGIN_FAILURES_PER_ACCOUNT } from '../src/config.js';
import { api } from './helpers.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let schema: TestSchema;
const replicas: SpawnedService[] = [];

before(async () => {
  schema = await createTestSchema('authrate');
  const env = { DATABASE_URL: schema.url, REDIS_URL, REDIS_PREFIX: `test-authrate-${randomBytes(4).toString('hex')}` };
  // One after the other: both run the same migrations on start.
  replicas.push(await spawnService({ name: 'auth-a', main: MAIN, cwd: ROOT, env }));
  replicas.push(await spawnService({ name: 'auth-b', main: MAIN, cwd: ROOT, env }));
});

after(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await schema?.drop();
});

test('AUTH7 brute force across replicas: failures on two auth processes sharing Redis count against one limit', async () => {
  const [a, b] = replicas.map((r) => r.httpUrl) as [string, string];
  const email = `brute-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  assert.equal((await api(a, 'POST', '/api/auth/signup', { body: { email, password } })).status, 201);

  for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i += 1) {
    const replica = i % 2 === 0 ? a : b;
    const wrong = await api(replica, 'POST', '/api/auth/login', { body: { email, password: `wrong-${i}` } });
    assert.equal(wrong.status, 401, `failure ${i + 1} on ${replica === a ? 'a' : 'b'} is an ordinary 401`);
  }
  // Each replica saw only half the failures; the shared count is at the limit on both.
  for (const replica of [a, b]) {
    const refused = await api(replica, 'POST', '/api/auth/login', { body: { email, password } });
    assert.equal(refused.status, 429, 'the lock holds on every replica, even for the right password');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  }
});

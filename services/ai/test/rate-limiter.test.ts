// The per-user AI request limit with REDIS_URL set: replicas share one count
// in Redis; while Redis is unreachable each process still limits on its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiter } from '../src/limits/rate-limiter.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let redis: Redis;
const prefix = `test-airate-${randomBytes(4).toString('hex')}`;

before(async () => {
  redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await new Promise<void>((resolve, reject) => redis.once('ready', resolve).once('error', reject));
});

after(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

test('AIRATE1 two AI replicas sharing Redis allow the per-user limit once between them, not once each', async () => {
  const [a, b] = [new RateLimiter(4, { redis, prefix }), new RateLimiter(4, { redis, prefix })];
  const outcomes = [];
  for (let i = 0; i < 4; i += 1) outcomes.push(await (i % 2 === 0 ? a : b).take('rita'));
  assert.ok(outcomes.every((o) => o.allowed), 'the first four, alternating replicas, pass');
  for (const replica of [a, b]) {
    const refused = await replica.take('rita');
    assert.equal(refused.allowed, false);
    assert.ok(!refused.allowed && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60);
  }
  assert.ok((await a.take('sam')).allowed, 'another user has their own count');
});

test('AIRATE2 with Redis unreachable each process still enforces the limit in memory', async () => {
  const down = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  down.on('error', () => {}); // expected: nothing listens on port 1
  try {
    const limiter = new RateLimiter(2, { redis: down, prefix });
    assert.ok((await limiter.take('quinn')).allowed);
    assert.ok((await limiter.take('quinn')).allowed);
    assert.equal((await limiter.take('quinn')).allowed, false);
  } finally {
    down.disconnect();
  }
});

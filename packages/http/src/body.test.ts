import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { bodyErrorResponse, limitBody } from './body.js';

const app = new Hono();
app.onError((error, c) => bodyErrorResponse(c, error) ?? c.json({ error: 'internal', message: 'internal error' }, 500));
// Validation by the route's schema is tested with the routes themselves (packages/openapi/src/api-app.test.ts).
app.post('/things', limitBody(64), async (c) => c.json(await c.req.json(), 201));

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request('/things', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

describe('request body limits (one error shape)', () => {
  it('passes a body under the limit through', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 2 }));
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { name: 'a', count: 2 });
  });

  it('413 payload_too_large, declared or chunked', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(100), count: 1 });
    for (const body of [big, new Blob([big]).stream()]) {
      const res = await post(body);
      assert.equal(res.status, 413);
      assert.deepEqual(await res.json(), { error: 'payload_too_large', message: 'request body is over the limit of 64 bytes' });
    }
  });
});

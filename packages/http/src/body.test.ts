import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { z } from 'zod';
import { bodyErrorResponse, jsonBody, limitBody } from './body.js';

const app = new Hono();
app.onError((error, c) => bodyErrorResponse(c, error) ?? c.json({ error: 'internal', message: 'internal error' }, 500));
app.post('/things', limitBody(64), jsonBody(z.strictObject({ name: z.string().min(1), count: z.number().int() })), (c) => c.json(c.req.valid('json'), 201));

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request('/things', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

describe('request bodies (one way, one error shape)', () => {
  it('hands the handler the parsed, typed body', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 2 }));
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { name: 'a', count: 2 });
  });

  it('400 invalid_request lists every wrong field', async () => {
    const res = await post(JSON.stringify({ name: '', count: 1.5, extra: true }));
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; message: string; issues: { path: string }[] };
    assert.equal(body.error, 'invalid_request');
    assert.deepEqual(body.issues.map((i) => i.path).sort(), ['(body)', 'count', 'name']);
    assert.match(body.message, /^invalid request body: /);
  });

  it('400 invalid_request for a body that is not JSON', async () => {
    const res = await post('{nope');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'invalid_request', message: 'request body is not valid JSON' });
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

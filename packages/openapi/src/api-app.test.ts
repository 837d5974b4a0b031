import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoute, z } from '@hono/zod-openapi';
import { bodyErrorResponse, limitBody } from '@copycloud/http';
import { createApiApp, errorResponse, jsonRequest, jsonResponse } from './index.js';

const route = createRoute({
  method: 'post',
  path: '/things/{id}',
  request: { params: z.object({ id: z.string() }), body: jsonRequest(z.strictObject({ name: z.string().min(1), count: z.number().int() })) },
  responses: { 201: jsonResponse('made', z.object({ id: z.string(), name: z.string() })), 400: errorResponse('bad') },
});
const app = createApiApp();
app.onError((error, c) => bodyErrorResponse(c, error) ?? c.json({ error: 'internal', message: 'internal error' }, 500));
app.openapi({ ...route, middleware: [limitBody(64)] as const }, (c) => c.json({ id: c.req.param('id'), name: c.req.valid('json').name }, 201));

const post = (body: string, contentType = 'application/json') => app.request('/things/7', { method: 'POST', headers: { 'content-type': contentType }, body });

describe('routes declared with createRoute read bodies the packages/http way', () => {
  it('hands the handler the validated body', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 2 }));
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { id: '7', name: 'a' });
  });

  it('400 invalid_request with one issue per wrong field, 400 for a body that is not JSON, 413 over the limit', async () => {
    const wrong = await post(JSON.stringify({ name: '', count: 1.5, extra: true }));
    assert.equal(wrong.status, 400);
    const body = (await wrong.json()) as { error: string; issues: { path: string }[] };
    assert.equal(body.error, 'invalid_request');
    assert.deepEqual(body.issues.map((i) => i.path).sort(), ['(body)', 'count', 'name']);
    const notJson = await post('{nope');
    assert.equal(notJson.status, 400);
    assert.deepEqual(await notJson.json(), { error: 'invalid_request', message: 'request body is not valid JSON' });
    assert.equal((await post(JSON.stringify({ name: 'x'.repeat(100), count: 1 }))).status, 413);
  });

  it('415 unsupported_media_type, in the one error shape, for a body that is not sent as JSON', async () => {
    const res = await post('name=a', 'text/plain');
    assert.equal(res.status, 415);
    assert.deepEqual(await res.json(), { error: 'unsupported_media_type', message: 'send the request body as JSON (Content-Type: application/json)' });
  });
});

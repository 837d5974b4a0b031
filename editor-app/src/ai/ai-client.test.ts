import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createAiClient, type AiClient } from './ai-client.js';
import { AiClientError } from './ai-errors.js';
import type { AiStreamEvent } from './ai-events.js';

/**
 * A real HTTP server speaking the sidecar's SSE shapes; the scenario is the
 * request's documentId. (The sidecar itself is tested in services/ai; this
 * checks the browser client's handling of each shape.)
 */
let server: Server;
let client: AiClient;
const seen: { authorization: string | undefined; body: unknown }[] = [];
/** Resolves when the server sees the stalled stream's connection close. */
let stalledClosed: Promise<void> = new Promise(() => {});

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const START = sse('start', { requestId: 'r1', model: 'demo-model', demo: true });
const DONE = sse('done', { usage: { inputTokens: 5, outputTokens: 2, estimated: true } });

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url === '/api/ai/status') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ configured: false, demo: false, model: null, message: 'off' }));
    return;
  }
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const body = JSON.parse(raw) as { documentId: string };
  seen.push({ authorization: req.headers.authorization, body });
  const stream = () => res.writeHead(200, { 'content-type': 'text/event-stream' });
  switch (body.documentId) {
    case 'ok': {
      stream();
      // Cut mid-event and mid-line: the client must reassemble.
      const whole = START + sse('delta', { text: ' Bright' }) + ': ping\n\n' + sse('delta', { text: ' copy.' }) + DONE;
      for (let i = 0; i < whole.length; i += 7) {
        res.write(whole.slice(i, i + 7));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
      return;
    }
    case 'rate-limited':
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end(JSON.stringify({ error: 'rate_limited', message: 'too many', retryAfterSeconds: 7 }));
      return;
    case 'unauthenticated':
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'missing_token', message: 'no token' }));
      return;
    case 'upstream-500':
      stream();
      res.end(START + sse('delta', { text: ' half' }) + sse('error', { code: 'upstream_unavailable', message: 'AI provider error 500' }));
      return;
    case 'malformed':
      stream();
      res.end(START + 'event: delta\ndata: {not json\n\n');
      return;
    case 'cut':
      stream();
      res.end(START + sse('delta', { text: ' half' }));
      return;
    case 'stall':
      stream();
      res.write(START);
      stalledClosed = once(res, 'close').then(() => undefined);
      return; // never ends: the client must give up (abort or idle timeout)
    default:
      res.writeHead(500).end();
  }
}

before(async () => {
  server = createServer((req, res) => void handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  client = createAiClient({ baseUrl: `http://127.0.0.1:${port}`, accessToken: async () => 'token-1' });
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function collect(events: AsyncIterable<AiStreamEvent>): Promise<AiStreamEvent[]> {
  const out: AiStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const body = (documentId: string) => ({ documentId, cursor: { relative: 'AA==' } });

test('streams typed events, reassembled from arbitrary chunks, with the bearer token', async () => {
  const events = await collect(client.complete(body('ok'), new AbortController().signal));
  assert.deepEqual(
    events.map((e) => e.type),
    ['start', 'delta', 'delta', 'done'],
  );
  assert.equal(events.map((e) => (e.type === 'delta' ? e.text : '')).join(''), ' Bright copy.');
  assert.equal(seen.at(-1)?.authorization, 'Bearer token-1');
  assert.deepEqual(seen.at(-1)?.body, body('ok'));
});

async function failure(documentId: string, c: AiClient = client): Promise<AiClientError> {
  const error = await collect(c.complete(body(documentId), new AbortController().signal)).then(
    () => assert.fail('expected the stream to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AiClientError, String(error));
  return error;
}

test('an HTTP 429 becomes rate_limited with its retry delay', async () => {
  const error = await failure('rate-limited');
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.retryAfterSeconds, 7);
});

test('a 401 is unauthorized', async () => {
  assert.equal((await failure('unauthenticated')).code, 'unauthorized');
});

test('an error event mid-stream fails the stream with its code (the half text is the caller’s to drop)', async () => {
  assert.equal((await failure('upstream-500')).code, 'upstream_unavailable');
});

test('a malformed event is malformed_stream', async () => {
  assert.equal((await failure('malformed')).code, 'malformed_stream');
});

test('a stream that ends without done is incomplete_stream', async () => {
  assert.equal((await failure('cut')).code, 'incomplete_stream');
});

test('aborting rejects with the abort reason and closes the connection', async () => {
  const controller = new AbortController();
  const events: AiStreamEvent[] = [];
  const reason = new DOMException('dismissed', 'AbortError');
  const result = (async () => {
    for await (const event of client.complete(body('stall'), controller.signal)) {
      events.push(event);
      controller.abort(reason);
    }
  })();
  await assert.rejects(result, (e) => e === reason);
  assert.deepEqual(events.map((e) => e.type), ['start']);
  // The server sees the connection close (bounded by the test runner's timeout).
  await stalledClosed;
});

test('a stream that goes quiet is given up as timeout', async () => {
  const { port } = server.address() as AddressInfo;
  const impatient = createAiClient({ baseUrl: `http://127.0.0.1:${port}`, accessToken: async () => null, idleTimeoutMs: 50 });
  assert.equal((await failure('stall', impatient)).code, 'timeout');
  assert.equal(seen.at(-1)?.authorization, undefined, 'no token, no header');
});

test('status is parsed', async () => {
  assert.deepEqual(await client.status(), { configured: false, demo: false, model: null, message: 'off' });
});

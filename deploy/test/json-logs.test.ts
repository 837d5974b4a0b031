// A log collector reads every line a container writes as JSON. A sync node's
// real main, in its own process, is taken through what makes Hocuspocus print
// with console.* (a refused token, a token for another document) as well as
// an ordinary edit and a drain: every stdout and stderr line must be a pino line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { createTestSchema, waitFor, type TestSchema } from '@copycloud/testing';
import { spawnService, type RunningService } from './services.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let schema: TestSchema;
let auth: RunningService;
let sync: RunningService;

async function post(url: string, bearer: string | undefined, body: unknown): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, `${url}: ${response.status}`);
  return response.json();
}

/** Connects, and resolves with "synced" or the authentication failure reason. */
function connect(documentId: string, token: string): Promise<{ outcome: string; provider: HocuspocusProvider; doc: Y.Doc }> {
  const doc = new Y.Doc();
  return new Promise((resolve) => {
    const provider: HocuspocusProvider = new HocuspocusProvider({
      url: `${sync.httpUrl.replace('http', 'ws')}/sync?doc=${encodeURIComponent(documentId)}`,
      name: documentId,
      document: doc,
      token,
      onSynced: () => resolve({ outcome: 'synced', provider, doc }),
      onAuthenticationFailed: ({ reason }) => resolve({ outcome: `refused: ${reason}`, provider, doc }),
    });
  });
}

before(async () => {
  schema = await createTestSchema('jsonlogs');
  const prefix = `test-jsonlogs-${randomBytes(4).toString('hex')}`;
  auth = await spawnService('auth', 'services/auth/src/main.ts', { DATABASE_URL: schema.url, REDIS_URL, REDIS_PREFIX: prefix });
  sync = await spawnService('sync-server', 'sync-server/src/main.ts', {
    DATABASE_URL: schema.url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    AUTH_JWKS_URL: `${auth.httpUrl}/.well-known/jwks.json`,
    // Debug, so the lines routed from Hocuspocus' console are written too.
    LOG_LEVEL: 'debug',
  });
});

after(async () => {
  await sync?.stop();
  await auth?.stop();
  await schema?.drop();
});

test('OPS5 a sync node writes only JSON lines to stdout and stderr, Hocuspocus console output included', async () => {
  const guest = await post(`${auth.httpUrl}/api/auth/guest`, undefined, {});
  const create = async (title: string) => (await post(`${auth.httpUrl}/api/docs`, guest.accessToken, { title })).document.id as string;
  const [first, second] = [await create('first'), await create('second')];
  const token = (await post(`${auth.httpUrl}/api/docs/${first}/token`, guest.accessToken, {})).token as string;

  const refused = await connect(first, 'not-a-token');
  assert.match(refused.outcome, /^refused/);
  const misaddressed = await connect(second, token);
  assert.match(misaddressed.outcome, /^refused/);
  const editor = await connect(first, token);
  assert.equal(editor.outcome, 'synced');
  editor.doc.getText('t').insert(0, 'hello');
  for (const client of [refused, misaddressed, editor]) {
    client.provider.destroy();
    client.doc.destroy();
  }
  // What Hocuspocus printed for the refusals arrives as a routed log line.
  await waitFor(() => sync.lines.some((line) => line.includes('[onAuthenticate]')), { message: 'Hocuspocus hook failure logged' });
  assert.equal(await sync.stop(), 0, 'drained and exited cleanly');

  const problems: string[] = [];
  for (const line of sync.lines) {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (typeof entry.level !== 'number' || typeof entry.time !== 'number' || typeof entry.msg !== 'string') problems.push(`not a pino line: ${line}`);
    } catch {
      problems.push(`not JSON: ${line}`);
    }
  }
  assert.deepEqual(problems, []);
  const routed = sync.lines.map((l) => JSON.parse(l)).filter((e) => e.source === 'console');
  assert.ok(routed.some((e) => String(e.msg).startsWith('[onAuthenticate]') && e.level === 20), 'hook failures routed at debug level');
});

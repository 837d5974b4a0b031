import { Hono } from 'hono';
import * as Y from 'yjs';
import { AuthError, type AccessTokenVerifier, type DocumentRoleLookup, type Role } from '@copycloud/auth-client';
import { coreMigrations, DocumentStore, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { startFakeOpenAI, type FakeOpenAI } from '@copycloud/fake-openai';
import { startHttpServer, type RunningHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { createTestSchema, paragraphsDoc, type TestSchema } from '@copycloud/testing';
import { aiConfigFromEnv, aiEnvObject, type AiConfig } from '../src/config.js';
import { createAiService, type AiService } from '../src/ai-service.js';
import { aiMigrations } from '../src/migrations.js';

/**
 * Test auth until the auth service's verifier is released: the bearer token
 * `user:<id>` names the user; roles come from a map. Same interfaces as
 * @copycloud/auth-client, so the routes run exactly as in production.
 */
export class TestAuth implements AccessTokenVerifier, DocumentRoleLookup {
  readonly roles = new Map<string, Role>();
  async verifyAccessToken(token: string) {
    const match = /^user:([a-z0-9-]+)$/.exec(token);
    if (!match) throw new AuthError('invalid_token', 'not a test token');
    return { userId: match[1]!, name: match[1]!, color: '#123456' };
  }
  async roleOf(documentId: string, userId: string) {
    return this.roles.get(`${documentId}/${userId}`) ?? null;
  }
  grant(documentId: string, userId: string, role: Role) {
    this.roles.set(`${documentId}/${userId}`, role);
  }
}

export interface AiHarness {
  url: string;
  fake: FakeOpenAI;
  auth: TestAuth;
  db: Database;
  service: AiService;
  config: AiConfig;
  createDocument(id: string, paragraphs: string[]): Promise<Y.Doc>;
  close(): Promise<void>;
}

/** Shared Postgres schema for one test file: the real Postgres, dropped after. */
export async function openTestDatabase(): Promise<{ db: Database; schema: TestSchema }> {
  const schema = await createTestSchema('ai');
  const db = await openDatabase({ url: schema.url, dataDir: 'unused', maxConnections: 4 });
  await runMigrations(db, [...coreMigrations, ...aiMigrations]);
  return { db, schema };
}

/** The AI service on port 0 in front of a fresh fake model server. */
export async function startAiHarness(db: Database, env: Record<string, string> = {}, options: { configured?: boolean } = {}): Promise<AiHarness> {
  const fake = await startFakeOpenAI({ apiKey: 'sk-test' });
  const parsed = aiEnvObject.parse({ OPENAI_API_KEY: options.configured === false ? undefined : 'sk-test', ...env });
  const config = { ...aiConfigFromEnv(parsed), upstream: options.configured === false ? null : { apiKey: 'sk-test', baseURL: fake.baseURL }, model: 'demo-model' };
  const auth = new TestAuth();
  const service = createAiService({ config, db, verifier: auth, roles: auth, logger: createLogger({ name: 'ai-test', level: 'silent' }) });
  const app = new Hono().route('/', service.opsRoutes).route('/', service.app);
  const http: RunningHttpServer = await startHttpServer({ app, upgrades: [], port: 0, host: '127.0.0.1' });
  const store = new DocumentStore(db);
  return {
    url: http.url,
    fake,
    auth,
    db,
    service,
    config,
    async createDocument(id, paragraphs) {
      const doc = paragraphsDoc(paragraphs);
      await store.ensureDocument(id);
      await store.append([{ documentId: id, update: Y.encodeStateAsUpdate(doc), originNode: 'test' }]);
      return doc;
    },
    async close() {
      await service.shutdown();
      await http.close();
      await fake.close();
    },
  };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** POSTs JSON and returns the HTTP response (for non-stream answers and stream handles). */
export function post(url: string, path: string, body: unknown, token?: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

/** Reads Server-Sent Events off a response as they arrive. */
export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const raw = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of raw.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      yield { event, data: JSON.parse(data.join('\n')) as Record<string, unknown> };
    }
  }
}

export async function collectSse(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(response)) events.push(event);
  return events;
}

export function textOf(events: SseEvent[]): string {
  return events.filter((e) => e.event === 'delta').map((e) => String(e.data.text)).join('');
}

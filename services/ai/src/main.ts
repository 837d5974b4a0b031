#!/usr/bin/env node
// The AI sidecar alone, for containers: `PORT=8083 DATABASE_URL=… OPENAI_API_KEY=… npm start -w @copycloud/ai`.
import { Hono } from 'hono';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { loadConfigOrExit } from '@copycloud/config';
import { coreMigrations, openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { openApiRoutes, serviceApiDocument } from '@copycloud/openapi';
import { createAiService } from './ai-service.js';
import { aiConfigFromEnv, parseAiEnv } from './config.js';
import { openAccessVerifier, openRoleLookup } from './dev-auth.js';
import { aiMigrations } from './migrations.js';
import { aiApiFragment } from './api-routes.js';

const env = loadConfigOrExit(() => parseAiEnv(process.env), 'ai');
const logger = createLogger({ name: 'ai', level: env.LOG_LEVEL });
if (env.AUTH_DISABLED) logger.warn('AUTH_DISABLED=true: any bearer token is accepted and every user edits every document (development only)');

// Imported and started only for the demo model: with a real provider the fake server is never loaded or run.
const fake = env.AI_PROVIDER === 'fake' ? await (await import('@copycloud/fake-openai')).startFakeOpenAI() : null;
const config = aiConfigFromEnv(env, fake ? { fakeBaseURL: fake.baseURL } : {});
const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await runMigrations(db, [...coreMigrations, ...aiMigrations]);
const auth = env.AUTH_DISABLED
  ? { verifier: openAccessVerifier(), roles: openRoleLookup(db) }
  : { verifier: createJwksVerifier({ jwksUrl: env.AUTH_JWKS_URL!, issuer: env.AUTH_ISSUER }), roles: new PostgresDocumentRoleLookup(db) };
// The per-user request limit counted in Redis, shared by every replica (loaded only when configured).
// No offline queue: while Redis is away each process counts on its own, never blocks.
const rateLimitRedis = env.REDIS_URL
  ? new (await import('ioredis')).Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  : undefined;
rateLimitRedis?.on('error', (error: Error) => logger.warn({ err: error }, 'rate-limit Redis error: limits are counted per process until it is back'));
const rateLimitStore = rateLimitRedis ? { redis: rateLimitRedis, prefix: env.REDIS_PREFIX } : undefined;
const ai = createAiService({ config, db, ...auth, logger, processMetrics: true, rateLimitStore });
const app = new Hono()
  .route('/', ai.opsRoutes)
  .route('/', openApiRoutes(serviceApiDocument([aiApiFragment])))
  .route('/', ai.app);
const http = await startHttpServer({ app, upgrades: [], port: env.PORT, host: env.HOST });
logger.info({ url: http.url, configured: config.upstream !== null, demo: config.demo, model: config.model, apiStyle: config.apiStyle }, 'listening');

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'drain ai streams', run: () => ai.shutdown() },
    { name: 'close http server', run: () => http.close() },
    { name: 'close fake model server', run: async () => fake?.close() },
    { name: 'close rate-limit Redis', run: async () => void (await rateLimitRedis?.quit()) },
    { name: 'close database', run: () => db.close() },
  ],
});

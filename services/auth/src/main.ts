#!/usr/bin/env node
// The auth service alone, for containers: `PORT=8082 DATABASE_URL=… npm start -w @copycloud/auth`.
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { loadConfigOrExit } from '@copycloud/config';
import { openDatabase } from '@copycloud/db';
import { createAccessEventBus } from '@copycloud/auth-client/access-event-bus';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { createLogger, createMetricsRegistry, opsRoutes } from '@copycloud/observability';
import { openApiRoutes, serviceApiDocument } from '@copycloud/openapi';
import { createAuthService } from './auth-service.js';
import { authConfigFromEnv, parseAuthEnv } from './config.js';
import { authApiFragment } from './auth-service.js';

const env = loadConfigOrExit(() => parseAuthEnv(process.env), 'auth');
const logger = createLogger({ name: 'auth', level: env.LOG_LEVEL });
const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
const events = createAccessEventBus({
  redisUrl: env.REDIS_URL,
  prefix: env.REDIS_PREFIX,
  onError: (error) => logger.error({ err: error }, 'access events channel error'),
});
await events.ready;
// Brute-force limits counted in Redis, so every replica enforces one shared bound.
// No offline queue: while Redis is away each process counts on its own, never blocks.
const rateLimitRedis = env.REDIS_URL ? new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
rateLimitRedis?.on('error', (error: Error) => logger.warn({ err: error }, 'rate-limit Redis error: limits are counted per process until it is back'));
const rateLimitStore = rateLimitRedis ? { redis: rateLimitRedis, prefix: env.REDIS_PREFIX } : undefined;
const registry = createMetricsRegistry({ service: 'auth', processMetrics: true });
const auth = createAuthService({ config: authConfigFromEnv(env), db, logger, events, registry, rateLimitStore });
await auth.ready;

let accepting = true;
const app = new Hono()
  .route('/', opsRoutes({ registries: () => [registry], accepting: () => accepting, checks: { database: () => db.ping() } }))
  .route('/', openApiRoutes(serviceApiDocument([authApiFragment])))
  .route('/', auth.app);
const http = await startHttpServer({ app, upgrades: [], port: env.PORT, host: env.HOST });
logger.info({ url: http.url, port: http.port, database: db.kind, issuer: env.AUTH_ISSUER }, 'listening');

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'stop accepting', run: async () => void (accepting = false) },
    { name: 'close http server', run: () => http.close() },
    { name: 'close access events', run: () => events.close() },
    { name: 'close rate-limit Redis', run: async () => void (await rateLimitRedis?.quit()) },
    { name: 'close database', run: () => db.close() },
  ],
});

#!/usr/bin/env node
// The review sidecar alone, for containers: `PORT=8085 DATABASE_URL=… REDIS_URL=… AUTH_JWKS_URL=… npm start -w @copycloud/review`.
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { createJwksVerifier, PostgresDocumentRoleLookup, type DocumentRoleLookup } from '@copycloud/auth-client';
import { loadConfigOrExit } from '@copycloud/config';
import { DocumentStore, coreMigrations, openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { openApiRoutes, serviceApiDocument } from '@copycloud/openapi';
import { parseReviewEnv, reviewNodeId } from './config.js';
import { storedReviewDelivery } from './delivery.js';
import { reviewApiFragment } from './api-routes.js';
import { createReviewService } from './service.js';
import { PostgresDocumentOwners } from './suggestions.js';
import { reviewMigrations } from './notifications/migrations.js';
import { notificationsApiFragment } from './notifications/routes.js';
import { createNotifications } from './notifications/wiring.js';

const env = loadConfigOrExit(() => parseReviewEnv(process.env), 'review');
const logger = createLogger({ name: 'review', level: env.LOG_LEVEL });
if (env.AUTH_DISABLED) {
  logger.warn('AUTH_DISABLED=true: every bearer token is accepted as an anonymous owner. Never run this in production.');
}

const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await runMigrations(db, [...coreMigrations, ...reviewMigrations]);
const store = new DocumentStore(db);
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 }) : null;
if (redis) await redis.connect();
if (!redis) logger.warn('REDIS_URL unset: comments reach the update log, but open documents on sync nodes see them only after reload');
const roles: DocumentRoleLookup = env.AUTH_DISABLED
  ? { roleOf: async (documentId) => ((await store.exists(documentId)) ? 'owner' : null) }
  : new PostgresDocumentRoleLookup(db);

const notifications = createNotifications({ db, roles, logger, env, redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX });

const service = createReviewService({
  delivery: storedReviewDelivery({ store, publisher: redis, channelPrefix: env.REDIS_PREFIX, originNode: reviewNodeId(env) }),
  logger,
  verifier: env.AUTH_DISABLED
    ? { verifyAccessToken: async () => ({ userId: 'anonymous', name: 'Anonymous', color: '#888888' }) }
    : createJwksVerifier({ jwksUrl: env.AUTH_JWKS_URL!, issuer: env.AUTH_ISSUER }),
  roles,
  owners: env.AUTH_DISABLED ? { ownersOf: async () => [] } : new PostgresDocumentOwners(db),
  sinks: [notifications.sink],
  notifications: notifications.routes,
  readinessChecks: { database: () => db.ping(), ...(redis ? { redis: async () => void (await redis.ping()) } : {}) },
  processMetrics: true,
});
const app = new Hono()
  .route('/', service.opsRoutes)
  .route('/', openApiRoutes(serviceApiDocument([reviewApiFragment, notificationsApiFragment])))
  .route('/', service.app);
const http = await startHttpServer({ app, upgrades: [], port: env.PORT, host: env.HOST });
notifications.delivery.start();
logger.info({ url: http.url, port: http.port, nodeId: reviewNodeId(env), database: db.kind, redis: redis !== null }, 'listening');

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'stop accepting', run: async () => service.stop() },
    // Open notification streams would hold the HTTP server open: they end first.
    { name: 'close notifications', run: () => notifications.close() },
    { name: 'close http server', run: () => http.close() },
    { name: 'close redis', run: async () => void (await redis?.quit()) },
    { name: 'close database', run: () => db.close() },
  ],
});

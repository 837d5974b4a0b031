#!/usr/bin/env node
// The snapshots sidecar alone, for containers: `PORT=8082 DATABASE_URL=… REDIS_URL=… npm start -w @copycloud/snapshots`.
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { loadConfigOrExit } from '@copycloud/config';
import { DocumentStore, coreMigrations, openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { fileStorageConfigFromEnv, openFileStorage } from '@copycloud/files';
import { createLogger } from '@copycloud/observability';
import { openApiRoutes, serviceApiDocument } from '@copycloud/openapi';
import { parseSnapshotsEnv, snapshotsConfigFromEnv } from './config.js';
import { redisDelivery } from './live-delivery.js';
import { snapshotsMigrations } from './migrations.js';
import { snapshotsApiFragment } from './routes.js';
import { openAccessRoles, openAccessVerifier } from './open-access.js';
import { createSnapshotsService } from './service.js';

const env = loadConfigOrExit(() => parseSnapshotsEnv(process.env), 'snapshots');
const logger = createLogger({ name: 'snapshots', level: env.LOG_LEVEL });
const config = snapshotsConfigFromEnv(env);
if (env.AUTH_DISABLED) {
  logger.warn('AUTH_DISABLED=true: every bearer token is accepted as an anonymous owner. Never run this in production.');
}

const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await runMigrations(db, [...coreMigrations, ...snapshotsMigrations]);
const store = new DocumentStore(db);
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 }) : null;
if (redis) await redis.connect();
const files = await openFileStorage(fileStorageConfigFromEnv(env));
if (!redis) logger.warn('REDIS_URL unset: restores reach the update log, but open documents on sync nodes see them only after reload');

const service = createSnapshotsService({
  config,
  db,
  logger,
  // Access tokens verified against the auth service's JWKS; roles from its members table.
  verifier: env.AUTH_DISABLED ? openAccessVerifier : createJwksVerifier({ jwksUrl: env.AUTH_JWKS_URL!, issuer: env.AUTH_ISSUER }),
  roles: env.AUTH_DISABLED ? openAccessRoles(store) : new PostgresDocumentRoleLookup(db),
  delivery: redisDelivery({ store, publisher: redis, channelPrefix: config.redisPrefix, originNode: config.nodeId }),
  files,
  readinessChecks: { files: () => files.check(), ...(redis ? { redis: async () => void (await redis.ping()) } : {}) },
  processMetrics: true,
});
const app = new Hono()
  .route('/', service.opsRoutes)
  .route('/', openApiRoutes(serviceApiDocument([snapshotsApiFragment])))
  .route('/', service.app);
const http = await startHttpServer({ app, upgrades: [], port: env.PORT, host: env.HOST });
service.start();
logger.info({ url: http.url, port: http.port, nodeId: config.nodeId, database: db.kind }, 'listening');

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'stop background loops', run: () => service.stop() },
    { name: 'close http server', run: () => http.close() },
    { name: 'close redis', run: async () => void (await redis?.quit()) },
    { name: 'close file store', run: () => files.close() },
    { name: 'close database', run: () => db.close() },
  ],
});

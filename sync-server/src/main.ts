#!/usr/bin/env node
// A sync node alone, for containers: `PORT=8081 DATABASE_URL=… npm start -w sync-server`.
import { Hono } from 'hono';
import { loadConfigOrExit } from '@copycloud/config';
import { openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { createLogger, routeConsoleToLogger } from '@copycloud/observability';
import { openApiRoutes, serviceApiDocument } from '@copycloud/openapi';
import { createJwksVerifier } from '@copycloud/auth-client';
import { createAccessEventBus } from '@copycloud/auth-client/access-event-bus';
import { createDocumentAuth } from './auth/index.js';
import { parseSyncEnv, syncNodeConfigFromEnv } from './config.js';
import { syncApiFragment } from './openapi.js';
import { createSyncNode } from './sync-node.js';

const env = loadConfigOrExit(() => parseSyncEnv(process.env), 'sync-server');
const logger = createLogger({ name: 'sync-server', level: env.LOG_LEVEL });
// Hocuspocus prints hook failures and socket errors with console.*: keep stdout/stderr pure JSON lines.
routeConsoleToLogger(logger);
const config = syncNodeConfigFromEnv(env);
// Access changes (removed members, role changes) pushed by the auth service.
const events = config.authDisabled
  ? undefined
  : createAccessEventBus({
      redisUrl: env.REDIS_URL,
      prefix: env.REDIS_PREFIX,
      onError: (error) => logger.error({ err: error }, 'access events channel error'),
    });
const documentAuth = events
  ? createDocumentAuth({ verifier: createJwksVerifier({ jwksUrl: env.AUTH_JWKS_URL!, issuer: env.AUTH_ISSUER }), events, logger })
  : undefined;

const db = await openDatabase({
  url: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  onPoolError: (error) => logger.warn({ err: error }, 'database connection lost; the next query opens a new one'),
});
await runMigrations(db);
const node = createSyncNode({
  config,
  db,
  logger,
  processMetrics: true,
  ...(documentAuth ? { authorizer: documentAuth.authorizer, extensions: [documentAuth.liveAccess] } : {}),
});
const app = new Hono().route('/', node.opsRoutes).route('/', openApiRoutes(serviceApiDocument([syncApiFragment])));
const http = await startHttpServer({ app, upgrades: [node.handleUpgrade], port: env.PORT, host: env.HOST });
logger.info({ url: http.url, port: http.port, nodeId: config.nodeId, database: db.kind }, 'listening');

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'drain sync node', run: () => node.shutdown() },
    { name: 'close http server', run: () => http.close() },
    { name: 'close access events', run: async () => events?.close() },
    { name: 'close database', run: () => db.close() },
  ],
});

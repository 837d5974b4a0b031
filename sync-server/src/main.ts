#!/usr/bin/env node
// A sync node alone, for containers: `PORT=8081 DATABASE_URL=… npm start -w sync-server`.
import { Hono } from 'hono';
import { loadConfigOrExit } from '@copycloud/config';
import { openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { parseSyncEnv, syncNodeConfigFromEnv } from './config.js';
import { createSyncNode } from './sync-node.js';

const env = loadConfigOrExit(() => parseSyncEnv(process.env), 'sync-server');
const logger = createLogger({ name: 'sync-server', level: env.LOG_LEVEL });
const config = syncNodeConfigFromEnv(env);
if (!config.authDisabled) {
  // Token verification against AUTH_JWKS_URL is wired by the auth issue.
  logger.fatal('AUTH_JWKS_URL verification is not available in this build; set AUTH_DISABLED=true');
  process.exit(78);
}

const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await runMigrations(db);
const node = createSyncNode({ config, db, logger, processMetrics: true });
const app = new Hono().route('/', node.opsRoutes);
const http = await startHttpServer({ app, upgrades: [node.handleUpgrade], port: env.PORT, host: env.HOST });
logger.info({ url: http.url, port: http.port, nodeId: config.nodeId, database: db.kind }, 'listening');

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'drain sync node', run: () => node.shutdown() },
    { name: 'close http server', run: () => http.close() },
    { name: 'close database', run: () => db.close() },
  ],
});

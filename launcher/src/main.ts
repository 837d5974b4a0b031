#!/usr/bin/env node
// `npm start`: every service and the editor app on one port, embedded PGlite by default.
import { loadConfigOrExit } from '@copycloud/config';
import { coreMigrations, openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { fileStorageConfigFromEnv, openFileStorage } from '@copycloud/files';
import { createLogger, routeConsoleToLogger } from '@copycloud/observability';
import { reviewMigrations } from '@copycloud/review';
import { authMigrations } from '@copycloud/auth';
import { aiMigrations } from '@copycloud/ai';
import { snapshotsMigrations } from '@copycloud/snapshots';
import { createAllInOne } from './all-in-one.js';
import { parseLauncherEnv } from './config.js';

const env = loadConfigOrExit(() => parseLauncherEnv(process.env), 'copycloud');
const logger = createLogger({ name: 'copycloud', level: env.LOG_LEVEL });
// Hocuspocus prints hook failures and socket errors with console.*: keep stdout/stderr pure JSON lines.
routeConsoleToLogger(logger);

// Every mounted service's schema, so the template holds all of it: each
// service's own runMigrations at start then finds its migrations applied.
const migrations = [...coreMigrations, ...authMigrations, ...aiMigrations, ...snapshotsMigrations, ...reviewMigrations];
// A new embedded database (first `npm start`, every e2e server) starts from a
// migrated template instead of paying initdb + migrations (~10 CPU-seconds).
const db = await openDatabase({
  url: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  pgliteTemplate: {
    migrations,
    cacheDir: env.PGLITE_TEMPLATE_DIR,
    onUnavailable: (error) => logger.warn({ err: error }, 'no PGlite template (creating the database with initdb instead)'),
  },
});
await runMigrations(db, migrations);
const files = await openFileStorage(fileStorageConfigFromEnv(env));
const stack = createAllInOne(env, { db, logger, files });
const http = await startHttpServer({ app: stack.app, upgrades: stack.upgrades, port: env.PORT, host: env.HOST });
logger.info(
  { url: http.url, port: http.port, database: db.kind === 'pglite' ? `pglite (${env.DATA_DIR})` : 'postgres' },
  'listening',
);

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    ...stack.shutdownSteps,
    { name: 'close http server', run: () => http.close() },
    { name: 'close file store', run: () => files.close() },
    { name: 'close database', run: () => db.close() },
  ],
});

#!/usr/bin/env node
// `npm start`: every service and the editor app on one port, embedded PGlite by default.
import { loadConfigOrExit } from '@copycloud/config';
import { coreMigrations, openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { fileStorageConfigFromEnv, openFileStorage } from '@copycloud/files';
import { createLogger, routeConsoleToLogger } from '@copycloud/observability';
import { reviewMigrations } from '@copycloud/review';
import { createAllInOne } from './all-in-one.js';
import { parseLauncherEnv } from './config.js';

const env = loadConfigOrExit(() => parseLauncherEnv(process.env), 'copycloud');
const logger = createLogger({ name: 'copycloud', level: env.LOG_LEVEL });
// Hocuspocus prints hook failures and socket errors with console.*: keep stdout/stderr pure JSON lines.
routeConsoleToLogger(logger);

const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await runMigrations(db, [...coreMigrations, ...reviewMigrations]);
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

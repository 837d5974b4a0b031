#!/usr/bin/env node
// The files sidecar alone, for containers: `PORT=8084 DATABASE_URL=… S3_ENDPOINT=… npm start -w @copycloud/files`.
import { Hono } from 'hono';
import { createJwksVerifier, PostgresDocumentRoleLookup, type DocumentRoleLookup } from '@copycloud/auth-client';
import { loadConfigOrExit } from '@copycloud/config';
import { DocumentStore, coreMigrations, openDatabase, runMigrations } from '@copycloud/db';
import { installShutdown, startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { openApiRoutes, serviceApiDocument } from '@copycloud/openapi';
import { filesConfigFromEnv, openFileStorage, parseFilesEnv } from './config.js';
import { filesApiFragment } from './routes.js';
import { createFilesService } from './service.js';
import { PostgresDocumentReferences } from './sweep.js';

const env = loadConfigOrExit(() => parseFilesEnv(process.env), 'files');
const logger = createLogger({ name: 'files', level: env.LOG_LEVEL });
const config = filesConfigFromEnv(env);
if (env.AUTH_DISABLED) {
  logger.warn('AUTH_DISABLED=true: every bearer token is accepted as an anonymous editor of every document. Never run this in production.');
}

const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await runMigrations(db, coreMigrations);
const store = new DocumentStore(db);
const storage = await openFileStorage(config.storage);
// Without auth nobody is a member (auth's tables may not even exist): every
// caller is an editor of any existing document (openAccess), as on the sync node.
const noMembers: DocumentRoleLookup = { roleOf: async () => null };
const roles: DocumentRoleLookup = env.AUTH_DISABLED ? noMembers : new PostgresDocumentRoleLookup(db);

const service = createFilesService({
  config,
  storage,
  logger,
  verifier: env.AUTH_DISABLED
    ? { verifyAccessToken: async () => ({ userId: 'anonymous', name: 'Anonymous', color: '#888888' }) }
    : createJwksVerifier({ jwksUrl: env.AUTH_JWKS_URL!, issuer: env.AUTH_ISSUER }),
  roles,
  ...(env.AUTH_DISABLED ? { openAccess: store } : {}),
  sweep: { ...config.sweep, references: new PostgresDocumentReferences(db) },
  readinessChecks: { database: () => db.ping() },
  processMetrics: true,
});
const app = new Hono()
  .route('/', service.opsRoutes)
  .route('/', openApiRoutes(serviceApiDocument([filesApiFragment])))
  .route('/', service.app);
const http = await startHttpServer({ app, upgrades: [], port: env.PORT, host: env.HOST });
logger.info({ url: http.url, port: http.port, storage: storage.kind, maxUploadBytes: config.maxUploadBytes, sweep: config.sweep }, 'listening');

installShutdown({
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'stop accepting and sweeping', run: () => service.stop() },
    { name: 'close http server', run: () => http.close() },
    { name: 'close file store', run: () => storage.close() },
    { name: 'close database', run: () => db.close() },
  ],
});

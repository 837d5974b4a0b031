import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { DocumentStore, type Database } from '@copycloud/db';
import type { ShutdownStep, UpgradeHandler } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import { createAuthService, authConfigFromEnv } from '@copycloud/auth';
import { createJwksVerifier, PostgresDocumentRoleLookup } from '@copycloud/auth-client';
import { createAccessEventBus } from '@copycloud/auth-client/access-event-bus';
import { createEmbeddedAiService } from '@copycloud/ai';
import { createEmbeddedSnapshotsService, DEFAULT_SNAPSHOTS_CONFIG } from '@copycloud/snapshots';
import { createFilesService, PostgresDocumentReferences, type FileStorage } from '@copycloud/files';
import {
  createEmbeddedReviewService,
  createNotifications,
  PostgresDocumentOwners,
} from '@copycloud/review';
import { openApiRoutes } from '@copycloud/openapi';
import { createDocumentAuth, createSyncNode, syncNodeConfigFromEnv, type SyncNode } from '@copycloud/sync-server';
import { launcherApiDocument } from './api-document.js';
import type { LauncherEnv } from './config.js';
import { editorAppRoutes } from './static-app.js';

export interface AllInOne {
  app: Hono;
  upgrades: UpgradeHandler[];
  syncNode: SyncNode;
  /** In order: stop taking work, drain, flush. The caller closes HTTP and the database after. */
  shutdownSteps: ShutdownStep[];
}

const DEFAULT_EDITOR_DIST = fileURLToPath(new URL('../../editor-app/dist', import.meta.url));

/** Mounts every service and the editor app in one Hono app and one upgrade chain. */
export function createAllInOne(env: LauncherEnv, deps: { db: Database; logger: Logger; files: FileStorage }): AllInOne {
  // Access changes go straight to this process' node (or over Redis to every node).
  const events = createAccessEventBus({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    onError: (error) => deps.logger.error({ err: error }, 'access events channel error'),
  });
  const authLogger = deps.logger.child({ service: 'auth' });
  const auth = createAuthService({ config: authConfigFromEnv(env), db: deps.db, logger: authLogger, events });
  const syncLogger = deps.logger.child({ service: 'sync' });
  // In-process key set: no HTTP round trip, and a rotated key is seen at once.
  const documentAuth = env.AUTH_DISABLED
    ? undefined
    : createDocumentAuth({ verifier: createJwksVerifier({ getKeySet: () => auth.publicKeySet(), issuer: env.AUTH_ISSUER }), events, logger: syncLogger });
  const syncNode = createSyncNode({
    config: syncNodeConfigFromEnv(env),
    db: deps.db,
    logger: syncLogger,
    processMetrics: true,
    ...(documentAuth ? { authorizer: documentAuth.authorizer, extensions: [documentAuth.liveAccess] } : {}),
  });

  // AI routes: access tokens from the in-process auth service, roles from its table.
  const ai = createEmbeddedAiService({
    env,
    db: deps.db,
    logger: deps.logger.child({ service: 'ai' }),
    verifier: createJwksVerifier({ getKeySet: () => auth.publicKeySet(), issuer: env.AUTH_ISSUER }),
    roles: new PostgresDocumentRoleLookup(deps.db),
  });

  // Version history, restore, export and background compaction, on the same node.
  const snapshots = createEmbeddedSnapshotsService({
    db: deps.db,
    logger: deps.logger.child({ service: 'snapshots' }),
    verifier: createJwksVerifier({ getKeySet: () => auth.publicKeySet(), issuer: env.AUTH_ISSUER }),
    roles: new PostgresDocumentRoleLookup(deps.db),
    syncNode,
    files: deps.files,
    config: {
      autoVersions: { ...DEFAULT_SNAPSHOTS_CONFIG.autoVersions, pauseMs: env.AUTO_VERSION_PAUSE_MS, intervalMs: env.AUTO_VERSION_INTERVAL_MS },
    },
  });

  // Image uploads and role-checked reads; the same store DOCX/PDF export reads images from.
  const files = createFilesService({
    config: { maxUploadBytes: env.FILES_MAX_UPLOAD_BYTES },
    storage: deps.files,
    logger: deps.logger.child({ service: 'files' }),
    verifier: createJwksVerifier({ getKeySet: () => auth.publicKeySet(), issuer: env.AUTH_ISSUER }),
    roles: new PostgresDocumentRoleLookup(deps.db),
    // AUTH_DISABLED: the node lets anyone with the link edit, so anyone signed in may see and add its images.
    ...(env.AUTH_DISABLED ? { openAccess: new DocumentStore(deps.db) } : {}),
    // Files no document state or version shows any more go after FILES_SWEEP_GRACE_MS.
    sweep: { graceMs: env.FILES_SWEEP_GRACE_MS, intervalMs: env.FILES_SWEEP_INTERVAL_MS, references: new PostgresDocumentReferences(deps.db) },
  });

  // Comments: every change is a server transaction on the in-process node (clients cannot write them).
  // Notifications: in-app (live), per-document webhooks, and email digests when SMTP_URL is set —
  // wired exactly as the review sidecar wires them alone.
  const reviewRoles = new PostgresDocumentRoleLookup(deps.db);
  const notifications = createNotifications({
    db: deps.db,
    roles: reviewRoles,
    logger: deps.logger.child({ service: 'notifications' }),
    env,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
  });
  const review = createEmbeddedReviewService({
    logger: deps.logger.child({ service: 'review' }),
    verifier: createJwksVerifier({ getKeySet: () => auth.publicKeySet(), issuer: env.AUTH_ISSUER }),
    roles: reviewRoles,
    owners: new PostgresDocumentOwners(deps.db),
    syncNode,
    sinks: [notifications.sink],
    notifications: notifications.routes,
  });
  notifications.delivery.start();

  const app = new Hono();
  app.route('/', syncNode.opsRoutes);
  // The whole API in one document: /api/openapi.json and /api/reference (DESIGN.md's /api/docs is the documents list).
  app.route('/', openApiRoutes(launcherApiDocument()));
  app.route('/', snapshots.app);
  app.route('/', files.app);
  app.route('/', review.app);
  app.route('/', ai.app);
  app.route('/', auth.app);
  app.route('/', editorAppRoutes(env.EDITOR_DIST_DIR ?? DEFAULT_EDITOR_DIST));

  return {
    app,
    upgrades: [syncNode.handleUpgrade],
    syncNode,
    shutdownSteps: [
      { name: 'drain ai streams', run: () => ai.shutdown() },
      { name: 'stop the file sweep', run: () => files.stop() },
      { name: 'stop accepting comments', run: async () => review.stop() },
      // Ends the notification streams too, which would otherwise hold the HTTP server open.
      { name: 'close notifications', run: () => notifications.close() },
      { name: 'stop snapshots loops', run: () => snapshots.shutdown() },
      { name: 'drain sync node', run: () => syncNode.shutdown() },
      { name: 'close access events', run: () => events.close() },
    ],
  };
}

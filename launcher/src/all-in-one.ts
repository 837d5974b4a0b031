import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Database } from '@copycloud/db';
import type { ShutdownStep, UpgradeHandler } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import { createSyncNode, syncNodeConfigFromEnv, type SyncNode } from '@copycloud/sync-server';
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
export function createAllInOne(env: LauncherEnv, deps: { db: Database; logger: Logger }): AllInOne {
  const syncNode = createSyncNode({
    config: syncNodeConfigFromEnv(env),
    db: deps.db,
    logger: deps.logger.child({ service: 'sync' }),
    processMetrics: true,
  });

  const app = new Hono();
  app.route('/', syncNode.opsRoutes);
  app.route('/', editorAppRoutes(env.EDITOR_DIST_DIR ?? DEFAULT_EDITOR_DIST));

  return {
    app,
    upgrades: [syncNode.handleUpgrade],
    syncNode,
    shutdownSteps: [{ name: 'drain sync node', run: () => syncNode.shutdown() }],
  };
}

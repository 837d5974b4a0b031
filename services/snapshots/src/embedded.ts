import { Hono } from 'hono';
import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import type { FileStorage } from '@copycloud/files';
import { coreMigrations, runMigrations, type Database } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
import { DEFAULT_SNAPSHOTS_CONFIG, type SnapshotsConfig } from './config.js';
import { inProcessDelivery, type ServerChanges } from './live-delivery.js';
import { snapshotsMigrations } from './migrations.js';
import { createSnapshotsService, type SnapshotsService } from './service.js';

export interface EmbeddedSnapshotsService {
  /** Routes to mount; requests wait until migrations ran. */
  readonly app: Hono;
  readonly ready: Promise<SnapshotsService>;
  shutdown(): Promise<void>;
}

/**
 * The snapshots service for the all-in-one launcher, whose composition is
 * synchronous: runs the migrations, starts the compaction and automatic
 * version loops, and delivers restores straight into the in-process node.
 */
export function createEmbeddedSnapshotsService(options: {
  db: Database;
  logger: Logger;
  verifier: AccessTokenVerifier;
  roles: DocumentRoleLookup;
  /** The in-process sync node, through the one method restores need. */
  syncNode: ServerChanges;
  config?: Partial<SnapshotsConfig>;
  /** The file store the files service writes to (DOCX/PDF export embeds images from it). */
  files?: FileStorage | null;
}): EmbeddedSnapshotsService {
  const ready = (async () => {
    await runMigrations(options.db, [...coreMigrations, ...snapshotsMigrations]);
    const service = createSnapshotsService({
      config: { ...DEFAULT_SNAPSHOTS_CONFIG, ...options.config },
      db: options.db,
      logger: options.logger,
      verifier: options.verifier,
      roles: options.roles,
      delivery: inProcessDelivery(options.syncNode),
      files: options.files ?? null,
    });
    service.start();
    return service;
  })();
  ready.catch((error: unknown) => options.logger.error({ err: error }, 'snapshots service failed to start'));
  const app = new Hono();
  const forward = async (c: { req: { raw: Request }; env: unknown }) => (await ready).app.fetch(c.req.raw, c.env);
  app.all('/api/docs/:id/versions', forward);
  app.all('/api/docs/:id/versions/*', forward);
  app.all('/api/docs/:id/export', forward);
  return {
    app,
    ready,
    async shutdown() {
      const service = await ready.catch(() => null);
      await service?.stop();
    },
  };
}

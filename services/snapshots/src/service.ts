import type { Hono } from 'hono';
import type { FileStorage } from '@copycloud/files';
import type { Registry } from 'prom-client';
import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import { DocumentStore, type Database } from '@copycloud/db';
import { createMetricsRegistry, opsRoutes, type Logger, type ReadinessCheck } from '@copycloud/observability';
import { AutoVersioner } from './auto-versioner.js';
import { BackgroundLoop } from './background-loop.js';
import { Compactor } from './compactor.js';
import type { SnapshotsConfig } from './config.js';
import { Exporter } from './export/exporter.js';
import { History } from './history.js';
import { redisDelivery, type RestoreDelivery } from './live-delivery.js';
import { SnapshotsMetrics, UPDATE_LOG_ROWS_INTERVAL_MS } from './metrics.js';
import { snapshotsRoutes } from './routes.js';
import { VersionStore } from './version-store.js';

export interface SnapshotsServiceDeps {
  config: SnapshotsConfig;
  db: Database;
  logger: Logger;
  verifier: AccessTokenVerifier;
  roles: DocumentRoleLookup;
  /** How restores reach live documents; default: log only (no live delivery). */
  delivery?: RestoreDelivery;
  readinessChecks?: Record<string, ReadinessCheck>;
  processMetrics?: boolean;
  /** Where uploaded images are, for DOCX/PDF export; without it images export as their alt text. */
  files?: FileStorage | null;
}

export interface SnapshotsService {
  /** `/api/docs/:id/versions…`, `/api/docs/:id/export`. */
  readonly app: Hono;
  /** `/healthz`, `/readyz`, `/metrics` (mount only when running alone). */
  readonly opsRoutes: Hono;
  readonly registry: Registry;
  readonly compactor: Compactor;
  readonly autoVersioner: AutoVersioner;
  readonly history: History;
  readonly versions: VersionStore;
  /** Starts the background compaction and automatic-version loops. */
  start(): void;
  /** Stops the loops, waiting for a running tick. Idempotent. */
  stop(): Promise<void>;
}

/** The snapshots sidecar as a library: compaction, version history, restore, export. */
export function createSnapshotsService(deps: SnapshotsServiceDeps): SnapshotsService {
  const { config, db, logger } = deps;
  const store = new DocumentStore(db);
  const versions = new VersionStore(db);
  const registry = createMetricsRegistry({ service: 'snapshots', processMetrics: deps.processMetrics ?? false });
  const metrics = new SnapshotsMetrics(registry);
  const compactor = new Compactor({ db, store, logger: logger.child({ component: 'compactor' }), metrics, config: config.compactor });
  const autoVersioner = new AutoVersioner({
    db,
    store,
    versions,
    logger: logger.child({ component: 'auto-versions' }),
    metrics,
    config: config.autoVersions,
  });
  const delivery =
    deps.delivery ?? redisDelivery({ store, publisher: null, channelPrefix: config.redisPrefix, originNode: config.nodeId });
  const history = new History({ store, versions, delivery, metrics });
  const exporter = new Exporter({ history, db, files: deps.files ?? null });
  const app = snapshotsRoutes({ history, exporter, verifier: deps.verifier, roles: deps.roles, logger }) as unknown as Hono;

  const loops = [
    new BackgroundLoop('compaction', config.compactor.intervalMs, async () => void (await compactor.tick()), logger),
    new BackgroundLoop('auto-versions', config.autoVersions.intervalMs, async () => void (await autoVersioner.tick()), logger),
    // The backlog gauge is measured here, not on each /metrics scrape (a count over the whole log).
    new BackgroundLoop('update-log-rows', UPDATE_LOG_ROWS_INTERVAL_MS, async () => void metrics.updateLogRows.set(await compactor.backlog()), logger),
  ];
  let accepting = true;
  let stopping: Promise<void> | undefined;

  return {
    app,
    opsRoutes: opsRoutes({
      registries: () => [registry],
      accepting: () => accepting,
      checks: { database: () => db.ping(), ...(deps.readinessChecks ?? {}) },
    }),
    registry,
    compactor,
    autoVersioner,
    history,
    versions,
    start() {
      for (const loop of loops) loop.start();
      logger.info(
        { compactThresholdRows: config.compactor.thresholdRows, autoVersionPauseMs: config.autoVersions.pauseMs },
        'snapshots background loops started',
      );
    },
    stop() {
      accepting = false;
      stopping ??= Promise.all(loops.map((loop) => loop.stop())).then(() => undefined);
      return stopping;
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import type { Hono } from 'hono';
import { DocumentStore, type Database } from '@copycloud/db';
import { CloseCodes } from '@copycloud/protocol';
import { createMetricsRegistry, opsRoutes, type Logger, type ReadinessCheck } from '@copycloud/observability';
import type { Registry } from 'prom-client';
import type { SyncNodeConfig } from './config.js';
import { AuthenticationExtension, openAuthorizer, type DocumentAuthorizer } from './extensions/authentication.js';
import { MetricsExtension } from './extensions/metrics-extension.js';
import { PersistenceExtension } from './extensions/persistence.js';
import { SyncMetrics } from './metrics.js';
import { UpdateLogWriter } from './storage/update-log-writer.js';
import { HocuspocusSocketServer } from './transport/hocuspocus-socket.js';

export interface SyncNodeDeps {
  config: SyncNodeConfig;
  db: Database;
  logger: Logger;
  /** Required unless `config.authDisabled`. */
  authorizer?: DocumentAuthorizer;
  /** Extra extensions (e.g. Redis fan-out), composed after the core ones. */
  extensions?: Extension[];
  /** Extra readiness checks (e.g. Redis). */
  readinessChecks?: Record<string, ReadinessCheck>;
  /** Export process-level metrics from this registry (one per process). */
  processMetrics?: boolean;
}

export interface SyncNode {
  readonly hocuspocus: Hocuspocus;
  readonly registry: Registry;
  readonly writer: UpdateLogWriter;
  readonly store: DocumentStore;
  /** `/healthz`, `/readyz`, `/metrics` for this node. */
  readonly opsRoutes: Hono;
  /** Returns false when the path is not a sync endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Still taking new connections (false once shutdown began). */
  readonly accepting: boolean;
  /** Stop accepting, close clients with "reconnect elsewhere", flush the log. Idempotent. */
  shutdown(): Promise<void>;
}

export function createSyncNode(deps: SyncNodeDeps): SyncNode {
  const { config, db, logger } = deps;
  if (!config.authDisabled && !deps.authorizer) {
    throw new Error('sync node: an authorizer is required unless authDisabled is set');
  }
  const authorizer = config.authDisabled ? openAuthorizer : deps.authorizer!;
  if (config.authDisabled) {
    logger.warn('AUTH_DISABLED=true: this node accepts every connection as an editor. Never run this in production.');
  }

  const store = new DocumentStore(db);
  const registry = createMetricsRegistry({ service: 'sync', processMetrics: deps.processMetrics ?? false });
  let hocuspocus!: Hocuspocus;
  let persistence!: PersistenceExtension;
  const writer = new UpdateLogWriter({
    store,
    logger: logger.child({ component: 'update-log' }),
    batchMs: config.storeBatchMs,
    onBatchCut: (ids) => persistence.onBatchCut(ids),
    onCommitted: (batch, latencies) => {
      metrics.storeBatchSize.observe(batch.updates);
      for (const ms of latencies) metrics.storeLatency.observe(ms / 1000);
      persistence.onCommitted(batch.documentIds);
    },
    onCommitFailed: (error, ids) => {
      metrics.storeFailures.inc();
      persistence.onCommitFailed(ids, error);
    },
  });
  const metrics = new SyncMetrics(registry, () => hocuspocus, () => writer.backlog);
  persistence = new PersistenceExtension({
    store,
    writer,
    nodeId: config.nodeId,
    logger,
    createOnFirstOpen: config.authDisabled,
  });

  // One ordered list: the order in which hooks run for every document.
  const extensions: Extension[] = [
    persistence,
    new AuthenticationExtension(authorizer, logger),
    new MetricsExtension(metrics),
    ...(deps.extensions ?? []),
  ];
  hocuspocus = new Hocuspocus({
    name: config.nodeId,
    quiet: true,
    extensions,
    // Persistence goes through the update log, not debounced whole-document stores.
    debounce: 0,
    maxDebounce: 0,
    unloadImmediately: true,
  });

  const sockets = new HocuspocusSocketServer({
    hocuspocus,
    logger,
    metrics,
    maxPayloadBytes: config.maxPayloadBytes,
    maxDocumentsPerSocket: config.maxDocumentsPerSocket,
  });

  let accepting = true;
  let shutdownPromise: Promise<void> | undefined;

  const routes = opsRoutes({
    registries: () => [registry],
    accepting: () => accepting,
    checks: { database: () => db.ping(), ...(deps.readinessChecks ?? {}) },
  });

  async function runShutdown(): Promise<void> {
    accepting = false;
    logger.info({ documents: hocuspocus.getDocumentsCount(), connections: hocuspocus.getConnectionsCount() }, 'sync node draining');
    sockets.closeAll(CloseCodes.ReconnectElsewhere);
    // Closing sockets unloads documents; whatever is still queued is flushed here.
    await writer.close();
    await sockets.close();
    await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
    logger.info('sync node drained');
  }

  return {
    hocuspocus,
    registry,
    writer,
    store,
    opsRoutes: routes,
    get accepting() {
      return accepting;
    },
    handleUpgrade(request, socket, head) {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== '/sync') return false;
      if (!accepting) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return true;
      }
      sockets.handleUpgrade(request, socket, head);
      return true;
    },
    shutdown() {
      shutdownPromise ??= runShutdown();
      return shutdownPromise;
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import type { Hono } from 'hono';
import { DocumentStore, type Database } from '@copycloud/db';
import type * as Y from 'yjs';
import { CloseCodes, DEFAULT_REDIS_PREFIX, type CopycloudOrigin } from '@copycloud/protocol';
import { createMetricsRegistry, opsRoutes, type Logger, type ReadinessCheck } from '@copycloud/observability';
import type { Registry } from 'prom-client';
import type { SyncNodeConfig } from './config.js';
import { AuthenticationExtension, openAuthorizer, type DocumentAuthorizer } from './extensions/authentication.js';
import { HeartbeatExtension } from './extensions/heartbeat.js';
import { MetricsExtension } from './extensions/metrics-extension.js';
import { PersistenceExtension } from './extensions/persistence.js';
import { UpdateValidationExtension } from './extensions/update-validation.js';
import { SyncMetrics } from './metrics.js';
import { UpdateLogWriter } from './storage/update-log-writer.js';
import { HocuspocusSocketServer } from './transport/hocuspocus-socket.js';
import { YJS_PATH_PREFIX, YWebsocketServer } from './transport/y-websocket.js';
import { ClusterMetrics } from './cluster/cluster-metrics.js';
import { DocumentLifecycle } from './cluster/document-lifecycle.js';
import { RedisFanoutExtension } from './cluster/redis-fanout.js';
import { listenForExternalUpdates } from './extensions/external-updates.js';

export interface SyncNodeDeps {
  config: SyncNodeConfig;
  db: Database;
  logger: Logger;
  /** Required unless `config.authDisabled`. */
  authorizer?: DocumentAuthorizer;
  /** Extra extensions (e.g. live access changes from auth), composed after the core ones. */
  extensions?: Extension[];
  /** Extra readiness checks (Redis is deliberately not one: see below). */
  readinessChecks?: Record<string, ReadinessCheck>;
  /** Export process-level metrics from this registry (one per process). */
  processMetrics?: boolean;
}

export interface SyncNode {
  readonly hocuspocus: Hocuspocus;
  readonly registry: Registry;
  readonly writer: UpdateLogWriter;
  readonly store: DocumentStore;
  /** Document states (loading, active, unloading). */
  readonly lifecycle: DocumentLifecycle;
  /** Cross-node fan-out, when `config.redisUrl` is set. */
  readonly redis: RedisFanoutExtension | undefined;
  /** `/healthz`, `/readyz`, `/metrics` for this node. */
  readonly opsRoutes: Hono;
  /** Returns false when the path is not a sync endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Still taking new connections (false once shutdown began). */
  readonly accepting: boolean;
  /** Stop accepting, close clients with "reconnect elsewhere", flush the log. Idempotent. */
  shutdown(): Promise<void>;
  /**
   * Applies a change as the server (a restore, an AI edit on a client's
   * behalf): `change` runs in one transaction with `origin` on the live
   * document — loaded if needed, so it merges with edits not yet committed —
   * which every client receives like any edit. Resolves once it is in the
   * update log.
   */
  applyServerChange(documentId: string, origin: CopycloudOrigin, change: (document: Y.Doc) => void): Promise<void>;
}

/** How long shutdown waits for closed sockets' documents to unload before it flushes regardless. */
const DRAIN_UNLOAD_TIMEOUT_MS = 5_000;

export function createSyncNode(deps: SyncNodeDeps): SyncNode {
  const { config, db, logger } = deps;
  if (!config.authDisabled && !deps.authorizer) {
    throw new Error('sync node: an authorizer is required unless authDisabled is set');
  }
  const authorizer = config.authDisabled ? openAuthorizer : deps.authorizer!;
  if (config.authDisabled) {
    logger.warn('AUTH_DISABLED=true: this node accepts every connection as an editor. Never run this in production.');
  }

  const registry = createMetricsRegistry({ service: 'sync', processMetrics: deps.processMetrics ?? false });
  let hocuspocus!: Hocuspocus;
  let persistence!: PersistenceExtension;
  let sockets!: HocuspocusSocketServer;
  let yjsSockets!: YWebsocketServer;
  const store = new DocumentStore(db, {
    onQuarantine: (documentName, rows) => {
      metrics.updatesQuarantined.inc(rows.length);
      logger.error({ documentName, rows }, 'update-log rows failed validation: moved to document_update_quarantine');
    },
  });
  const writer = new UpdateLogWriter({
    store,
    logger: logger.child({ component: 'update-log' }),
    batchMs: config.storeBatchMs,
    beforeBatchCut: (ids) => redis?.beforeBatchCut(ids),
    onBatchCut: (ids) => {
      persistence.onBatchCut(ids);
      redis?.onBatchCut(ids);
    },
    onCommitted: (batch, latencies) => {
      metrics.storeBatchSize.observe(batch.updates);
      for (const ms of latencies) metrics.storeLatency.observe(ms / 1000);
      persistence.onCommitted(batch);
      redis?.onCommitted(batch.documentIds);
    },
    onCommitFailed: (error, ids) => {
      metrics.storeFailures.inc();
      persistence.onCommitFailed(ids, error);
    },
    onCommitStalled: (ids) => persistence.onCommitStalled(ids),
    onPressure: (documentName, overloaded) => {
      if (overloaded) metrics.backpressurePauses.inc();
      sockets.setOverloaded(documentName, overloaded);
      yjsSockets.setOverloaded(documentName, overloaded);
    },
  });
  const metrics = new SyncMetrics(registry, () => hocuspocus, () => writer.backlog);
  persistence = new PersistenceExtension({
    store,
    writer,
    nodeId: config.nodeId,
    logger,
    createOnFirstOpen: config.authDisabled,
    announceDurable: (documentName) => redis?.announceDurable(documentName),
  });

  const lifecycle = new DocumentLifecycle(registry, logger);
  let redis: RedisFanoutExtension | undefined;
  if (config.redisUrl) {
    redis = new RedisFanoutExtension({
      redisUrl: config.redisUrl,
      prefix: config.redisPrefix ?? DEFAULT_REDIS_PREFIX,
      nodeId: config.nodeId,
      logger: logger.child({ component: 'redis-fanout' }),
      metrics: new ClusterMetrics(registry, () => redis?.subscribedDocuments ?? 0),
      antiEntropyIntervalMs: config.antiEntropyIntervalMs,
      writer,
      durability: {
        stateVector: (documentName) => persistence.durableStateVector(documentName),
        onPeerDurable: (documentName, stateVector) => persistence.onPeerDurable(documentName, stateVector),
      },
    });
  }

  // Hocuspocus runs hooks by each extension's priority (higher first), then
  // in this order; the priorities that matter are on the extensions.
  const extensions: Extension[] = [
    new UpdateValidationExtension(logger, metrics.updatesRefused),
    lifecycle,
    persistence,
    new AuthenticationExtension(authorizer, logger),
    new MetricsExtension(metrics),
    new HeartbeatExtension(),
    ...(redis ? [redis] : []),
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
    // Broadcast each update as it is applied. Hocuspocus' default batches a
    // turn's updates through Y.mergeUpdates, whose cost is ~n² in the batch:
    // a node that falls behind merges ever larger batches and never recovers
    // (bench:sync saturation collapsed at 25k edits/s with it on).
    flushDelay: false,
  });

  // Restores (and other server-side changes) published by sidecars in other
  // processes reach the documents this node holds.
  const externalUpdates = redis
    ? listenForExternalUpdates({
        hocuspocus,
        subscriber: redis.otherChannels,
        channelPrefix: config.redisPrefix ?? DEFAULT_REDIS_PREFIX,
        logger: logger.child({ component: 'external-updates' }),
      }).catch((error: unknown) => {
        logger.error({ err: error }, 'could not subscribe to external updates; restores from other processes reach open documents only after a reload');
        return undefined;
      })
    : undefined;

  sockets = new HocuspocusSocketServer({
    hocuspocus,
    logger,
    metrics,
    maxPayloadBytes: config.maxPayloadBytes,
    maxDocumentsPerSocket: config.maxDocumentsPerSocket,
  });

  yjsSockets = new YWebsocketServer({
    hocuspocus,
    authorizer,
    logger,
    metrics,
    maxPayloadBytes: config.maxPayloadBytes,
  });

  let accepting = true;
  let shutdownPromise: Promise<void> | undefined;

  const routes = opsRoutes({
    registries: () => [registry],
    accepting: () => accepting,
    // Redis is deliberately not a readiness check: without it a node still
    // serves its own clients (affinity keeps most documents whole), and failing
    // /readyz on every node at once would turn a Redis outage into a full one.
    checks: { database: () => db.ping(), ...(deps.readinessChecks ?? {}) },
  });

  /**
   * Order matters: every source of updates stops before the writer closes,
   * so nothing is enqueued into a closed log. Sockets stop being read (late
   * frames are dropped unacknowledged: their authors resend them to the node
   * they reconnect to), documents unload (peers' unconfirmed updates are taken
   * over into the log), external updates stop, and only then the log flushes.
   */
  async function runShutdown(): Promise<void> {
    accepting = false;
    logger.info({ documents: hocuspocus.getDocumentsCount(), connections: hocuspocus.getConnectionsCount() }, 'sync node draining');
    sockets.closeAll(CloseCodes.ReconnectElsewhere);
    yjsSockets.closeAll(CloseCodes.ReconnectElsewhere);
    const stopExternalUpdates = await externalUpdates;
    await stopExternalUpdates?.().catch(() => {}); // Redis may be away; the connection closes next anyway
    await documentsUnloaded(hocuspocus, DRAIN_UNLOAD_TIMEOUT_MS).catch((error: unknown) => {
      logger.warn({ err: error, documents: hocuspocus.getDocumentsCount() }, 'documents still loaded after the drain bound; flushing anyway');
    });
    await writer.close();
    await Promise.all([sockets.close(), yjsSockets.close()]);
    await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
    logger.info('sync node drained');
  }

  return {
    hocuspocus,
    registry,
    writer,
    store,
    lifecycle,
    redis,
    opsRoutes: routes,
    get accepting() {
      return accepting;
    },
    handleUpgrade(request, socket, head) {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const yjs = path.startsWith(YJS_PATH_PREFIX);
      if (path !== '/sync' && !yjs) return false;
      if (!accepting) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return true;
      }
      if (yjs) {
        yjsSockets.handleUpgrade(request, socket, head).catch((error: unknown) => {
          logger.error({ err: error }, 'y-websocket upgrade failed');
          socket.destroy();
        });
        return true;
      }
      sockets.handleUpgrade(request, socket, head);
      return true;
    },
    shutdown() {
      shutdownPromise ??= runShutdown();
      return shutdownPromise;
    },
    async applyServerChange(documentId, origin, change) {
      const connection = await hocuspocus.openDirectConnection(documentId, { source: origin.source });
      try {
        if (!connection.document) throw new Error(`document ${documentId} did not open`);
        const document = connection.document;
        document.transact(() => change(document), origin);
      } finally {
        await connection.disconnect();
      }
      await writer.flushDocument(documentId);
    },
  };
}

/** Resolves when no document is loaded or loading (unloading flushes each one); rejects after `timeoutMs`. */
async function documentsUnloaded(hocuspocus: Hocuspocus, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (hocuspocus.getDocumentsCount() > 0 || hocuspocus.loadingDocuments.size > 0) {
    if (Date.now() > deadline) throw new Error(`${hocuspocus.getDocumentsCount()} documents still loaded`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

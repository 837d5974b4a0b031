import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Hocuspocus } from '@hocuspocus/server';
import { initLabelSets, labelCombinations } from '@copycloud/observability';
import type { OriginKind } from './origins.js';

/** Every origin classifyOrigin can answer (a Record, so a new OriginKind fails to compile until listed). */
const ORIGIN_LABELS: Record<OriginKind, true> = { connection: true, local: true, redis: true, restore: true, review: true, ai: true };
const ORIGINS = Object.keys(ORIGIN_LABELS) as OriginKind[];

/** Every metric a sync node exports; names are a contract with deploy/monitoring. */
export class SyncMetrics {
  readonly socketsOpened: Counter;
  readonly socketsClosed: Counter;
  readonly socketsRejected: Counter<'reason'>;
  readonly messagesIn: Counter;
  readonly messagesOut: Counter;
  readonly updateBytesIn: Counter;
  readonly updatesApplied: Counter<'origin'>;
  readonly storeLatency: Histogram;
  readonly storeBatchSize: Histogram;
  readonly storeFailures: Counter;
  readonly updateLogBacklog: Gauge;
  readonly updatesRefused: Counter<'reason'>;
  readonly updatesQuarantined: Counter;
  readonly backpressurePauses: Counter;

  constructor(
    readonly registry: Registry,
    hocuspocus: () => Hocuspocus,
    backlog: () => number,
  ) {
    const registers = [registry];
    new Gauge({
      name: 'copycloud_sync_connections',
      help: 'Open document connections on this node',
      registers,
      collect() {
        this.set(hocuspocus().getConnectionsCount());
      },
    });
    new Gauge({
      name: 'copycloud_sync_documents_open',
      help: 'Documents loaded in memory on this node',
      registers,
      collect() {
        this.set(hocuspocus().getDocumentsCount());
      },
    });
    new Gauge({
      name: 'copycloud_sync_documents_without_clients',
      help: 'Documents loaded with no client connected (a leak alarm when it stays above zero)',
      registers,
      collect() {
        let idle = 0;
        for (const document of hocuspocus().documents.values()) if (document.getConnectionsCount() === 0) idle += 1;
        this.set(idle);
      },
    });
    this.updateLogBacklog = new Gauge({
      name: 'copycloud_sync_update_log_backlog',
      help: 'Updates received but not yet committed to the update log',
      registers,
      collect() {
        this.set(backlog());
      },
    });
    this.socketsOpened = new Counter({ name: 'copycloud_sync_sockets_opened_total', help: 'WebSockets accepted', registers });
    this.socketsClosed = new Counter({ name: 'copycloud_sync_sockets_closed_total', help: 'WebSockets closed', registers });
    this.socketsRejected = new Counter({
      name: 'copycloud_sync_sockets_rejected_total',
      help: 'WebSockets closed by the node for bad input or limits, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.messagesIn = new Counter({ name: 'copycloud_sync_messages_in_total', help: 'Frames received from clients', registers });
    this.messagesOut = new Counter({ name: 'copycloud_sync_messages_out_total', help: 'Frames sent to clients', registers });
    this.updateBytesIn = new Counter({
      name: 'copycloud_sync_update_bytes_in_total',
      help: 'Bytes of document-update frames received from clients',
      registers,
    });
    this.updatesApplied = new Counter({
      name: 'copycloud_sync_updates_total',
      help: 'Document updates applied on this node, by origin',
      labelNames: ['origin'],
      registers,
    });
    initLabelSets(this.updatesApplied, labelCombinations({ origin: ORIGINS }));
    this.storeLatency = new Histogram({
      name: 'copycloud_sync_store_latency_seconds',
      help: 'From receipt of an update to its commit in the update log',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.storeBatchSize = new Histogram({
      name: 'copycloud_sync_store_batch_updates',
      help: 'Updates per update-log commit',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.updatesRefused = new Counter({
      name: 'copycloud_sync_updates_refused_total',
      help: 'Client updates refused before touching a document (connection closed 4422), by reason',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['invalid', 'apply-failed', 'unresolved']) this.updatesRefused.inc({ reason }, 0);
    this.updatesQuarantined = new Counter({
      name: 'copycloud_sync_updates_quarantined_total',
      help: 'Stored or about-to-be-stored update-log rows that did not validate, moved to the quarantine table',
      registers,
    });
    this.backpressurePauses = new Counter({
      name: 'copycloud_sync_backpressure_pauses_total',
      help: "Times a document's sockets were paused because its update-log backlog passed the bound",
      registers,
    });
    this.storeFailures = new Counter({
      name: 'copycloud_sync_store_failures_total',
      help: 'Failed update-log commits (retried)',
      registers,
    });
  }
}

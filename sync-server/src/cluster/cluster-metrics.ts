import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { initLabelSets, labelCombinations } from '@copycloud/observability';

/** Metrics of the Redis fan-out; names are a contract with deploy/monitoring. */
export class ClusterMetrics {
  readonly publishes: Counter<'kind'>;
  readonly publishBytes: Counter<'kind'>;
  readonly publishFailures: Counter;
  readonly received: Counter<'kind'>;
  readonly receivedBytes: Counter;
  readonly gaps: Counter<'reason'>;
  readonly propagation: Histogram;
  readonly connected: Gauge;
  readonly reconnects: Counter;
  readonly takeovers: Counter;

  constructor(registry: Registry, subscribedDocuments: () => number) {
    const registers = [registry];
    this.publishes = new Counter({
      name: 'copycloud_sync_redis_publishes_total',
      help: 'Messages published to Redis, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.publishBytes = new Counter({
      name: 'copycloud_sync_redis_publish_bytes_total',
      help: 'Bytes published to Redis, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.publishFailures = new Counter({
      name: 'copycloud_sync_redis_publish_failures_total',
      help: 'Publishes that failed (Redis away); healed by a state-vector exchange after reconnect',
      registers,
    });
    this.received = new Counter({
      name: 'copycloud_sync_redis_received_total',
      help: 'Messages received from other nodes over Redis, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.receivedBytes = new Counter({ name: 'copycloud_sync_redis_received_bytes_total', help: 'Bytes received from Redis', registers });
    this.gaps = new Counter({
      name: 'copycloud_sync_redis_heals_total',
      help: 'State-vector exchanges started to heal lost messages, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.propagation = new Histogram({
      name: 'copycloud_sync_propagation_seconds',
      help: 'From an update leaving its node to its apply on another node (sender timestamp in every update message)',
      // Buckets above 1 s so that CopycloudPropagationSlow (p99 > 1 s) can fire:
      // histogram_quantile never answers more than the largest finite bucket.
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5, 5, 10],
      registers,
    });
    // Every known label set at 0 from the start, so dashboards show 0 rather than no data.
    for (const counter of [this.publishes, this.publishBytes, this.received]) initLabelSets(counter, labelCombinations({ kind: clusterKindLabel }));
    initLabelSets(this.gaps, labelCombinations({ reason: HEAL_REASONS }));
    this.connected = new Gauge({ name: 'copycloud_sync_redis_connected', help: '1 when both Redis connections are ready', registers });
    this.reconnects = new Counter({ name: 'copycloud_sync_redis_reconnects_total', help: 'Redis reconnections followed by a heal', registers });
    this.takeovers = new Counter({
      name: 'copycloud_sync_redis_takeover_updates_total',
      help: 'Updates received over Redis that this node stored because their origin node never confirmed them durable',
      registers,
    });
    new Gauge({
      name: 'copycloud_sync_redis_subscribed_documents',
      help: 'Document channels this node is subscribed to',
      registers,
      collect() {
        this.set(subscribedDocuments());
      },
    });
  }
}

export const clusterKindLabel = ['update', 'awareness', 'sync-request', 'diff', 'digest', 'durable'] as const;
/** Why a heal (state-vector exchange) started: the `reason` of copycloud_sync_redis_heals_total. */
export const HEAL_REASONS = ['sequence-gap', 'trailing-loss', 'digest-mismatch', 'reconnect'] as const;

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { initLabelSets, labelCombinations } from '@copycloud/observability';

/** How often the update-log backlog gauge is measured (a count over the whole log). */
export const UPDATE_LOG_ROWS_INTERVAL_MS = 15_000;

/** Metrics of the snapshots sidecar; names are a contract with deploy/monitoring. */
export class SnapshotsMetrics {
  readonly compactions: Counter<'result'>;
  readonly rowsCompacted: Counter;
  readonly compactionSeconds: Histogram;
  readonly versionsCreated: Counter<'kind'>;
  readonly versionsPruned: Counter;
  readonly restores: Counter;

  /**
   * Set by a background loop every UPDATE_LOG_ROWS_INTERVAL_MS, never on a
   * scrape: counting the update log is a table scan, and scrapes come from
   * every Prometheus replica at their own pace.
   */
  readonly updateLogRows: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.updateLogRows = new Gauge({
      name: 'copycloud_snapshots_update_log_rows',
      help: 'Rows in the update log not yet folded into document state (all documents), measured in the background',
      registers,
    });
    this.compactions = new Counter({
      name: 'copycloud_snapshots_compactions_total',
      help: 'Compaction attempts, by result (compacted, skipped = another compactor held it, failed)',
      labelNames: ['result'],
      registers,
    });
    this.rowsCompacted = new Counter({
      name: 'copycloud_snapshots_rows_compacted_total',
      help: 'Update-log rows folded into document state',
      registers,
    });
    this.compactionSeconds = new Histogram({
      name: 'copycloud_snapshots_compaction_seconds',
      help: 'Time to compact one document',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.versionsCreated = new Counter({
      name: 'copycloud_snapshots_versions_created_total',
      help: 'Versions recorded, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.versionsPruned = new Counter({
      name: 'copycloud_snapshots_versions_pruned_total',
      help: 'Automatic versions deleted by the retention policy',
      registers,
    });
    this.restores = new Counter({ name: 'copycloud_snapshots_restores_total', help: 'Versions restored', registers });
    // Every known label set at 0 from the start, so dashboards show 0 rather than no data.
    initLabelSets(this.compactions, labelCombinations({ result: ['compacted', 'skipped', 'failed'] }));
    initLabelSets(this.versionsCreated, labelCombinations({ kind: ['auto', 'named', 'restore'] }));
  }
}

import { CorruptDocumentError, type DocumentStore, UpdateLogStats, type Database } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
import type { SnapshotsMetrics } from './metrics.js';

export interface CompactorConfig {
  /** A document is compacted once its log holds this many rows. */
  thresholdRows: number;
  /** Documents compacted per tick at most. */
  documentsPerTick: number;
  /** A corrupt document is retried after this long, not on every tick. */
  corruptRetryMs: number;
}

export interface CompactorTickResult {
  compacted: number;
  rows: number;
  skipped: number;
  failed: number;
}

/**
 * Folds long update logs into `document_states`. Several compactors (sidecar
 * replicas) cooperate: each document is compacted under a per-document
 * advisory lock taken with "try", so a document being compacted by one is
 * skipped by the others, and a compaction deletes exactly the rows it folded
 * (appends during it survive).
 */
export class Compactor {
  private readonly stats: UpdateLogStats;
  private readonly corruptUntil = new Map<string, number>();

  constructor(
    private readonly deps: { db: Database; store: DocumentStore; logger: Logger; metrics: SnapshotsMetrics; config: CompactorConfig },
  ) {
    this.stats = new UpdateLogStats(deps.db);
  }

  backlog(): Promise<number> {
    return this.stats.totalRows();
  }

  async tick(): Promise<CompactorTickResult> {
    const { config, logger, metrics, store } = this.deps;
    const result: CompactorTickResult = { compacted: 0, rows: 0, skipped: 0, failed: 0 };
    const now = Date.now();
    const due = await this.stats.documentsOver(config.thresholdRows, config.documentsPerTick + this.corruptUntil.size);
    for (const { documentId } of due) {
      if ((this.corruptUntil.get(documentId) ?? 0) > now) continue;
      if (result.compacted + result.skipped + result.failed >= config.documentsPerTick) break;
      const started = performance.now();
      try {
        const outcome = await store.compact(documentId, { skipLocked: true });
        if (outcome.skipped) {
          result.skipped += 1;
          metrics.compactions.inc({ result: 'skipped' });
          continue;
        }
        this.corruptUntil.delete(documentId);
        result.compacted += 1;
        result.rows += outcome.compactedRows;
        metrics.compactions.inc({ result: 'compacted' });
        metrics.rowsCompacted.inc(outcome.compactedRows);
        metrics.compactionSeconds.observe((performance.now() - started) / 1000);
        logger.debug({ documentName: documentId, rows: outcome.compactedRows, stateBytes: outcome.stateBytes }, 'compacted');
      } catch (error) {
        // One bad document never stops the others; it waits before the next try.
        result.failed += 1;
        metrics.compactions.inc({ result: 'failed' });
        if (error instanceof CorruptDocumentError) this.corruptUntil.set(documentId, now + config.corruptRetryMs);
        logger.error({ err: error, documentName: documentId }, 'compaction failed');
      }
    }
    return result;
  }
}

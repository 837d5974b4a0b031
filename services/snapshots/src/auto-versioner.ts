import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import { DocumentLocks, lockDocument, type Database, type DocumentStore } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
import { yStateToJSON } from '@copycloud/schema';
import { DerivedTitles } from './derived-titles.js';
import type { SnapshotsMetrics } from './metrics.js';
import type { RetentionPolicy, VersionStore } from './version-store.js';

export interface AutoVersionConfig extends RetentionPolicy {
  /** A version is taken once a document has had no edit for this long. */
  pauseMs: number;
  /** At most one automatic version per document in this period. */
  minIntervalMs: number;
  documentsPerTick: number;
}

/**
 * Takes automatic versions after a pause in editing and applies the retention
 * policy. Sidecars cooperate: the version is written in a transaction holding
 * the document row (SKIP LOCKED), and the "edited since the newest version"
 * condition is re-checked under it, so two replicas never both write one.
 */
export class AutoVersioner {
  /** updated_at seen when the content turned out unchanged (e.g. only compacted). */
  private readonly unchangedAt = new Map<string, number>();
  /** Titles that follow the first line: derived from the content this class already loads. */
  readonly titles: DerivedTitles;

  constructor(
    private readonly deps: {
      store: DocumentStore;
      versions: VersionStore;
      db: Database;
      logger: Logger;
      metrics: SnapshotsMetrics;
      config: AutoVersionConfig;
    },
  ) {
    this.titles = new DerivedTitles({ db: deps.db, store: deps.store, logger: deps.logger, config: deps.config });
  }

  async tick(): Promise<number> {
    const { config, versions, logger } = this.deps;
    const due = await versions.dueForAutoVersion({
      pauseMs: config.pauseMs,
      minIntervalMs: config.minIntervalMs,
      limit: config.documentsPerTick + this.unchangedAt.size,
    });
    let created = 0;
    for (const documentId of due) {
      try {
        if (await this.versionOne(documentId)) created += 1;
      } catch (error) {
        logger.error({ err: error, documentName: documentId }, 'automatic version failed');
      }
    }
    // Documents the versions skipped (versioned within minIntervalMs, or unchanged) still get their title.
    try {
      await this.titles.tick();
    } catch (error) {
      logger.error({ err: error }, 'derived titles failed');
    }
    return created;
  }

  private async versionOne(documentId: string): Promise<boolean> {
    const { db, store, versions, metrics, config } = this.deps;
    const updatedAt = await this.updatedAt(documentId);
    if (updatedAt === null || this.unchangedAt.get(documentId) === updatedAt) return false;
    // Read before the content, so an edit landing in between makes the title due again.
    const seenUpdatedAt = await this.titles.seenUpdatedAt(documentId);
    // Read outside the transaction (PGlite has one connection; loadMerged opens its own).
    const state = await store.loadMerged(documentId);
    if (state === null) return false;
    const content = yStateToJSON(state);
    if (seenUpdatedAt !== null) await this.titles.apply(documentId, content, seenUpdatedAt);
    const outcome = await db.transaction(async (tx) => {
      // Versioners of one document serialize on an advisory lock, never on the
      // documents row that every group commit of the update log touches.
      if (!(await lockDocument(tx, DocumentLocks.versioning, documentId, true))) return 'busy' as const;
      const latest = await versions.latest(documentId, tx);
      if (latest && sameContent(latest.state, state, content)) return 'unchanged' as const;
      if (latest && latest.kind === 'auto' && Date.parse(latest.createdAt) > Date.now() - config.minIntervalMs) return 'busy' as const;
      await versions.create({ documentId, kind: 'auto', state }, tx);
      const pruned = await versions.applyRetention(documentId, config, tx);
      return { pruned };
    });
    if (outcome === 'unchanged') {
      this.unchangedAt.set(documentId, updatedAt);
      return false;
    }
    if (outcome === 'busy') return false;
    this.unchangedAt.delete(documentId);
    metrics.versionsCreated.inc({ kind: 'auto' });
    metrics.versionsPruned.inc(outcome.pruned);
    this.deps.logger.debug({ documentName: documentId, pruned: outcome.pruned }, 'automatic version');
    return true;
  }

  private async updatedAt(documentId: string): Promise<number | null> {
    const { rows } = await this.deps.db.query<{ updated_at: Date | string }>('SELECT updated_at FROM documents WHERE id = $1', [documentId]);
    return rows[0] ? new Date(rows[0].updated_at).getTime() : null;
  }
}

/**
 * Unchanged = no new operations (equal state vectors) and the same editor
 * content (deletions do not advance a state vector). Compaction changes neither.
 */
function sameContent(versionState: Uint8Array, currentState: Uint8Array, currentContent: unknown): boolean {
  const versionVector = Y.encodeStateVectorFromUpdate(versionState);
  const currentVector = Y.encodeStateVectorFromUpdate(currentState);
  return Buffer.from(versionVector).equals(Buffer.from(currentVector)) && isDeepStrictEqual(yStateToJSON(versionState), currentContent);
}

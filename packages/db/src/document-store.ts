import * as Y from 'yjs';
import { asBytes, type Database, type Sql } from './database.js';
import { validateUpdate } from '@copycloud/update-validation';
import { CorruptDocumentError } from './errors.js';

export interface StoredDocument {
  /** Compacted state, or null if the document was never compacted. */
  state: Uint8Array | null;
  /** Every logged update after the compacted state, in append order. */
  updates: Uint8Array[];
  /** The log rows' ids, parallel to `updates` (for quarantine). */
  logIds?: string[];
}

export interface AppendedUpdate {
  documentId: string;
  update: Uint8Array;
  originNode: string;
}

/** A row kept out of the log because it failed validation. */
export interface QuarantinedUpdate extends AppendedUpdate {
  reason: string;
}

export interface CompactionResult {
  documentId: string;
  /** Log rows folded into the state (0 = nothing to do). */
  compactedRows: number;
  stateBytes: number;
  /** True when `skipLocked` was asked and another compactor held the document. */
  skipped?: boolean;
  /** Log rows that did not re-apply and were moved to the quarantine table. */
  quarantinedRows?: number;
}

export interface DocumentStoreOptions {
  /** Told whenever stored rows are moved to quarantine (a log line and a metric, in the caller's terms). */
  onQuarantine?: (documentId: string, rows: Array<{ logId: string | null; reason: string }>) => void;
}

/** Rows per INSERT; keeps the parameter count (3 per row) far below Postgres' 65535. */
const APPEND_ROWS_PER_STATEMENT = 500;

/** Advisory-lock namespaces (first key) for per-document work that must not run twice at once. */
export const DocumentLocks = { compaction: 727_301, versioning: 727_302 } as const;

/**
 * Durable document storage: a compacted state per document plus an
 * append-only log of Yjs updates. Yjs updates are idempotent and commutative,
 * so the log needs no ordering guarantee to converge; compaction folds exactly
 * the rows it read and deletes exactly those, so concurrent appends are never
 * lost. A stored row that does not re-apply never makes a document
 * unopenable: it is moved to `document_update_quarantine`.
 */
export class DocumentStore {
  constructor(
    private readonly db: Database,
    private readonly options: DocumentStoreOptions = {},
  ) {}

  /** Creates the document row if missing. Returns true when it was created. */
  async ensureDocument(documentId: string, title = ''): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>(
      'INSERT INTO documents (id, title) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id',
      [documentId, title],
    );
    return rows.length === 1;
  }

  async exists(documentId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM documents WHERE id = $1', [documentId]);
    return rows.length === 1;
  }

  /**
   * State and log in one statement, so one snapshot: read in two statements
   * (at READ COMMITTED) a compaction committing in between would give the
   * old state plus a log that already lost the rows folded into the new one.
   */
  load(documentId: string): Promise<StoredDocument | null> {
    return loadStored(this.db, documentId);
  }

  /**
   * Loads and merges into one update (state + log). Log rows that do not
   * re-apply are quarantined and left out; a compacted state that does not
   * decode throws CorruptDocumentError (compaction only writes states it built).
   */
  async loadMerged(documentId: string): Promise<Uint8Array | null> {
    const stored = await this.load(documentId);
    if (!stored) return null;
    const { merged, rejected } = mergeStored(documentId, stored);
    if (rejected.length > 0) await this.quarantineLogRows(this.db, documentId, stored, rejected);
    return merged;
  }

  /**
   * Appends a batch of updates (possibly for many documents) atomically;
   * `quarantined` rows go to the quarantine table in the same commit.
   */
  async append(batch: readonly AppendedUpdate[], quarantined: readonly QuarantinedUpdate[] = []): Promise<void> {
    if (batch.length === 0 && quarantined.length === 0) return;
    if (batch.length <= APPEND_ROWS_PER_STATEMENT && quarantined.length === 0) {
      // The common case (a group commit of a few ms): one statement, so one
      // round trip and atomic on its own, instead of BEGIN/INSERT/UPDATE/COMMIT.
      if (batch.length > 0) await insertRows(this.db, batch, documentIdsOf(batch));
      return;
    }
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < batch.length; start += APPEND_ROWS_PER_STATEMENT) {
        await insertRows(tx, batch.slice(start, start + APPEND_ROWS_PER_STATEMENT), start === 0 ? documentIdsOf(batch) : null);
      }
      for (const row of quarantined) {
        await tx.query(
          'INSERT INTO document_update_quarantine (document_id, update, origin_node, reason) VALUES ($1, $2, $3, $4)',
          [row.documentId, row.update, row.originNode, row.reason],
        );
      }
    });
    if (quarantined.length > 0) {
      for (const [documentId, rows] of groupBy(quarantined, (r) => r.documentId)) {
        this.options.onQuarantine?.(documentId, rows.map((r) => ({ logId: null, reason: r.reason })));
      }
    }
  }

  async logLength(documentId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM document_updates WHERE document_id = $1',
      [documentId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Rows kept in quarantine for a document (operators and tests). */
  async quarantined(documentId: string): Promise<Array<{ reason: string; update: Uint8Array; logId: string | null }>> {
    const { rows } = await this.db.query<{ reason: string; update: unknown; log_id: string | number | null }>(
      'SELECT reason, update, log_id FROM document_update_quarantine WHERE document_id = $1 ORDER BY id',
      [documentId],
    );
    return rows.map((r) => ({ reason: r.reason, update: asBytes(r.update), logId: r.log_id === null ? null : String(r.log_id) }));
  }

  /**
   * Folds the log into the document's compacted state in one transaction.
   * Compactors of one document serialize on an advisory lock; appends lock
   * nothing a compactor holds (they touch `documents`, the compactor
   * `document_states`), so compaction never delays a "saved".
   */
  async compact(documentId: string, options: { skipLocked?: boolean } = {}): Promise<CompactionResult> {
    return this.db.transaction(async (tx) => {
      if (!(await lockDocument(tx, DocumentLocks.compaction, documentId, options.skipLocked ?? false))) {
        const exists = (await tx.query('SELECT 1 FROM documents WHERE id = $1', [documentId])).rows.length === 1;
        return { documentId, compactedRows: 0, stateBytes: 0, ...(exists ? { skipped: true } : {}) };
      }
      const stored = await loadStored(tx, documentId);
      if (!stored || stored.updates.length === 0) return { documentId, compactedRows: 0, stateBytes: 0 };
      const { merged, rejected } = mergeStored(documentId, stored);
      const ids = stored.logIds ?? [];
      const rejectedIds = new Set(rejected.map((r) => ids[r.index]));
      await tx.query(
        `INSERT INTO document_states (document_id, state) VALUES ($1, $2)
         ON CONFLICT (document_id) DO UPDATE SET state = EXCLUDED.state, compacted_at = now()`,
        [documentId, merged],
      );
      if (rejected.length > 0) await this.quarantineLogRows(tx, documentId, stored, rejected, false);
      const folded = ids.filter((id) => !rejectedIds.has(id));
      await tx.query('DELETE FROM document_updates WHERE id = ANY($1::bigint[])', [folded]);
      if (rejected.length > 0) this.notifyQuarantine(documentId, stored, rejected);
      return {
        documentId,
        compactedRows: folded.length,
        stateBytes: merged.byteLength,
        ...(rejected.length > 0 ? { quarantinedRows: rejected.length } : {}),
      };
    });
  }

  /** Moves log rows to quarantine, each in one atomic statement (a concurrent loader moving the same row finds nothing). */
  private async quarantineLogRows(
    sql: Sql,
    documentId: string,
    stored: StoredDocument,
    rejected: RejectedRow[],
    notify = true,
  ): Promise<void> {
    for (const { index, reason } of rejected) {
      const logId = stored.logIds?.[index];
      if (logId === undefined) continue;
      await sql.query(
        `WITH moved AS (DELETE FROM document_updates WHERE id = $1 RETURNING id, document_id, update, origin_node)
         INSERT INTO document_update_quarantine (log_id, document_id, update, origin_node, reason)
         SELECT id, document_id, update, origin_node, $2 FROM moved`,
        [logId, reason],
      );
    }
    if (notify) this.notifyQuarantine(documentId, stored, rejected);
  }

  private notifyQuarantine(documentId: string, stored: StoredDocument, rejected: RejectedRow[]): void {
    this.options.onQuarantine?.(
      documentId,
      rejected.map((r) => ({ logId: stored.logIds?.[r.index] ?? null, reason: r.reason })),
    );
  }
}

async function loadStored(sql: Sql, documentId: string): Promise<StoredDocument | null> {
const { rows } = await sql.query<{ part: number; id: string | number; data: unknown }>(
    `SELECT 0 AS part, 0::bigint AS id, s.state AS data
       FROM documents d LEFT JOIN document_states s ON s.document_id = d.id WHERE d.id = $1
     UNION ALL
     SELECT 1 AS part, u.id, u.update AS data FROM document_updates u WHERE u.document_id = $1
     ORDER BY part, id`,
    [documentId],
  );
  const head = rows[0];
  if (!head || Number(head.part) !== 0) return null;
  const log = rows.slice(1);
  return {
    state: head.data === null || head.data === undefined ? null : asBytes(head.data),
    updates: log.map((r) => asBytes(r.data)),
    logIds: log.map((r) => String(r.id)),
  };
}

/** Takes a transaction-scoped advisory lock on (namespace, document); false when `skipLocked` and it is taken. */
export async function lockDocument(tx: Sql, namespace: number, documentId: string, skipLocked: boolean): Promise<boolean> {
  if (!skipLocked) {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [namespace, documentId]);
    return true;
  }
  const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::int, hashtext($2)) AS locked', [
    namespace,
    documentId,
  ]);
  return rows[0]?.locked === true;
}

/** Additive queries for background compaction (services/snapshots). */
export class UpdateLogStats {
  constructor(private readonly db: Sql) {}

  /** Rows in the whole update log (the compaction backlog). */
  async totalRows(): Promise<number> {
    const { rows } = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM document_updates');
    return Number(rows[0]?.n ?? 0);
  }

  /** Documents whose log holds at least `minRows` rows, the oldest log first. */
  async documentsOver(minRows: number, limit: number): Promise<Array<{ documentId: string; rows: number }>> {
    const { rows } = await this.db.query<{ document_id: string; n: string | number }>(
      `SELECT document_id, count(*) AS n FROM document_updates
       GROUP BY document_id HAVING count(*) >= $1 ORDER BY min(id) LIMIT $2`,
      [minRows, limit],
    );
    return rows.map((r) => ({ documentId: r.document_id, rows: Number(r.n) }));
  }
}

function documentIdsOf(batch: readonly AppendedUpdate[]): string[] {
  return [...new Set(batch.map((u) => u.documentId))];
}

/**
 * Inserts log rows; with `touchIds`, the same statement also bumps those
 * documents' `updated_at` (what "a pause in editing" is measured from), via a
 * data-modifying CTE, so the append stays one atomic statement.
 */
async function insertRows(sql: Sql, rows: readonly AppendedUpdate[], touchIds: string[] | null): Promise<void> {
  const touch = touchIds !== null;
  const values: string[] = [];
  const params: unknown[] = [];
  if (touch) params.push(touchIds);
  for (const row of rows) {
    const i = params.length;
    values.push(`($${i + 1}, $${i + 2}, $${i + 3})`);
    params.push(row.documentId, row.update, row.originNode);
  }
  const touchDocuments = touch ? 'WITH touched AS (UPDATE documents SET updated_at = now() WHERE id = ANY($1::text[])) ' : '';
  await sql.query(
    `${touchDocuments}INSERT INTO document_updates (document_id, update, origin_node) VALUES ${values.join(', ')}`,
    params,
  );
}

interface RejectedRow {
  /** Index into `StoredDocument.updates`. */
  index: number;
  reason: string;
}

/**
 * Applies state + log to a fresh Y.Doc (gc on) and encodes the result. A doc
 * rather than Y.mergeUpdates, because only applying runs gc: a compacted state
 * then carries no deleted content, whatever the history. Each log row is
 * validated against what the rows before it built; one that fails (or that
 * Yjs throws on) is left out and reported, never allowed to break the rest.
 */
export function mergeStored(documentId: string, stored: StoredDocument): { merged: Uint8Array; rejected: RejectedRow[] } {
  const rejected: RejectedRow[] = [];
  for (;;) {
    const skip = new Set(rejected.map((r) => r.index));
    const doc = new Y.Doc();
    try {
      let failed: RejectedRow | undefined;
      // One transaction for all pieces: Yjs' per-transaction cleanup (gc, merging
      // of adjacent items, event dispatch) then runs once instead of per update.
      doc.transact(() => {
        if (stored.state) {
          const verdict = validateUpdate(stored.state);
          if (!verdict.ok) throw new CorruptDocumentError(documentId, `compacted state is invalid: ${verdict.problem}`);
          try {
            Y.applyUpdate(doc, stored.state);
          } catch (error) {
            throw new CorruptDocumentError(documentId, 'compacted state does not decode', { cause: error });
          }
        }
        for (let index = 0; index < stored.updates.length && !failed; index++) {
          if (skip.has(index)) continue;
          const piece = stored.updates[index]!;
          const verdict = validateUpdate(piece, doc);
          if (!verdict.ok) {
            rejected.push({ index, reason: verdict.problem });
            continue;
          }
          try {
            Y.applyUpdate(doc, piece);
          } catch (error) {
            // The doc may hold part of it: start over without this row.
            failed = { index, reason: `does not apply: ${(error as Error).message}` };
          }
        }
      });
      if (failed) {
        rejected.push(failed);
        continue;
      }
      return { merged: Y.encodeStateAsUpdate(doc), rejected };
    } finally {
      doc.destroy();
    }
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

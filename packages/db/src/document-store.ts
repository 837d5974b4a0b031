import * as Y from 'yjs';
import { asBytes, type Database, type Sql } from './database.js';
import { CorruptDocumentError } from './errors.js';

export interface StoredDocument {
  /** Compacted state, or null if the document was never compacted. */
  state: Uint8Array | null;
  /** Every logged update after the compacted state, in append order. */
  updates: Uint8Array[];
}

export interface AppendedUpdate {
  documentId: string;
  update: Uint8Array;
  originNode: string;
}

export interface CompactionResult {
  documentId: string;
  /** Log rows folded into the state (0 = nothing to do). */
  compactedRows: number;
  stateBytes: number;
  /** True when `skipLocked` was asked and another compactor held the document. */
  skipped?: boolean;
}

/** Rows per INSERT; keeps the parameter count (3 per row) far below Postgres' 65535. */
const APPEND_ROWS_PER_STATEMENT = 500;

/**
 * Durable document storage: a compacted state per document plus an
 * append-only log of Yjs updates. Yjs updates are idempotent and commutative,
 * so the log needs no ordering guarantee to converge; compaction folds exactly
 * the rows it read and deletes exactly those, so concurrent appends are never lost.
 */
export class DocumentStore {
  constructor(private readonly db: Database) {}

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

  async load(documentId: string): Promise<StoredDocument | null> {
    return this.db.transaction(async (tx) => {
      // REPEATABLE READ semantics are not needed: we read the state row first,
      // then the log; a compaction committing in between only moves rows from
      // the log into a state we would merge anyway (idempotent), and we hold
      // the row lock-free. Read both in one transaction for a consistent view.
      const doc = await tx.query<{ state: unknown }>('SELECT state FROM documents WHERE id = $1', [documentId]);
      if (doc.rows.length === 0) return null;
      const log = await tx.query<{ update: unknown }>(
        'SELECT update FROM document_updates WHERE document_id = $1 ORDER BY id',
        [documentId],
      );
      const state = doc.rows[0]!.state;
      return {
        state: state === null || state === undefined ? null : asBytes(state),
        updates: log.rows.map((r) => asBytes(r.update)),
      };
    });
  }

  /**
   * Loads and merges into one update (state + log). Throws CorruptDocumentError
   * if any stored piece does not decode.
   */
  async loadMerged(documentId: string): Promise<Uint8Array | null> {
    const stored = await this.load(documentId);
    if (!stored) return null;
    return mergeStored(documentId, stored);
  }

  /** Appends a batch of updates (possibly for many documents) in one transaction. */
  async append(batch: readonly AppendedUpdate[]): Promise<void> {
    if (batch.length === 0) return;
    if (batch.length <= APPEND_ROWS_PER_STATEMENT) {
      // The common case (a group commit of a few ms): one statement, so one
      // round trip and atomic on its own, instead of BEGIN/INSERT/UPDATE/COMMIT.
      await insertRows(this.db, batch, documentIdsOf(batch));
      return;
    }
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < batch.length; start += APPEND_ROWS_PER_STATEMENT) {
        await insertRows(tx, batch.slice(start, start + APPEND_ROWS_PER_STATEMENT), start === 0 ? documentIdsOf(batch) : null);
      }
    });
  }

  async logLength(documentId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM document_updates WHERE document_id = $1',
      [documentId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Folds the log into `documents.state` in one transaction. The document row
   * is locked (FOR UPDATE) so concurrent compactors serialize per document;
   * appends are unaffected (they lock no document row).
   */
  async compact(documentId: string, options: { skipLocked?: boolean } = {}): Promise<CompactionResult> {
    return this.db.transaction(async (tx) => {
      // skipLocked: several compactors (sidecars) cooperate by skipping a
      // document another one is folding right now instead of queueing on it.
      const lock = options.skipLocked ? 'FOR UPDATE SKIP LOCKED' : 'FOR UPDATE';
      const doc = await tx.query<{ state: unknown }>(`SELECT state FROM documents WHERE id = $1 ${lock}`, [documentId]);
      if (doc.rows.length === 0) {
        const skipped = options.skipLocked
          ? (await tx.query('SELECT 1 FROM documents WHERE id = $1', [documentId])).rows.length === 1
          : false;
        return { documentId, compactedRows: 0, stateBytes: 0, ...(skipped ? { skipped } : {}) };
      }
      const log = await tx.query<{ id: string; update: unknown }>(
        'SELECT id, update FROM document_updates WHERE document_id = $1 ORDER BY id',
        [documentId],
      );
      if (log.rows.length === 0) return { documentId, compactedRows: 0, stateBytes: 0 };
      const rawState = doc.rows[0]!.state;
      const merged = mergeStored(documentId, {
        state: rawState === null || rawState === undefined ? null : asBytes(rawState),
        updates: log.rows.map((r) => asBytes(r.update)),
      });
      const ids = log.rows.map((r) => String(r.id));
      await tx.query('UPDATE documents SET state = $2, updated_at = now() WHERE id = $1', [documentId, merged]);
      await tx.query('DELETE FROM document_updates WHERE id = ANY($1::bigint[])', [ids]);
      return { documentId, compactedRows: ids.length, stateBytes: merged.byteLength };
    });
  }
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

/**
 * Applies state + log to a fresh Y.Doc (gc on) and encodes the result. A doc
 * rather than Y.mergeUpdates, because only applying runs gc: a compacted state
 * then carries no deleted content, whatever the history.
 */
export function mergeStored(documentId: string, stored: StoredDocument): Uint8Array {
  const doc = new Y.Doc();
  try {
    const pieces = stored.state ? [stored.state, ...stored.updates] : stored.updates;
    // One transaction for all pieces: Yjs' per-transaction cleanup (gc, merging
    // of adjacent items, event dispatch) then runs once instead of per update.
    doc.transact(() => {
      pieces.forEach((piece, index) => {
        try {
          Y.applyUpdate(doc, piece);
        } catch (error) {
          throw new CorruptDocumentError(
            documentId,
            index === 0 && stored.state ? 'compacted state does not decode' : `log entry ${index} does not decode`,
            { cause: error },
          );
        }
      });
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

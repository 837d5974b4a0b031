import type { Database, DocumentStore } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
import { yStateToJSON, type JSONContent } from '@copycloud/schema';
import { derivedTitle } from './document-title.js';

/**
 * Keeps `documents.title` following the first line of documents nobody has
 * renamed (`title_source = 'derived'`). Runs inside the automatic-version
 * tick: a document is read once per pause in editing, never per keystroke.
 * `title_derived_at` records which `updated_at` the title was read from (as
 * Postgres' own text, so microseconds survive), so an edit that lands while
 * the title is being derived is read again on a later tick.
 */
export class DerivedTitles {
  constructor(
    private readonly deps: {
      db: Database;
      store: DocumentStore;
      logger: Logger;
      config: { pauseMs: number; documentsPerTick: number };
    },
  ) {}

  /** `updated_at` as Postgres text, to hand back to `apply` (null: no such document). */
  async seenUpdatedAt(documentId: string): Promise<string | null> {
    const { rows } = await this.deps.db.query<{ seen: string }>('SELECT updated_at::text AS seen FROM documents WHERE id = $1', [documentId]);
    return rows[0]?.seen ?? null;
  }

  /**
   * Writes the title derived from `content` (read at `seenUpdatedAt` or later)
   * unless someone renamed the document meanwhile. Returns whether the title changed.
   */
  async apply(documentId: string, content: JSONContent, seenUpdatedAt: string): Promise<boolean> {
    const title = derivedTitle(content);
    const { rows } = await this.deps.db.query<{ old_title: string }>(
      `UPDATE documents d SET title = $2, title_derived_at = $3::timestamptz
         FROM (SELECT id, title AS old_title FROM documents WHERE id = $1) old
        WHERE d.id = old.id AND d.title_source = 'derived'
        RETURNING old.old_title`,
      [documentId, title, seenUpdatedAt],
    );
    const changed = rows.length > 0 && rows[0]!.old_title !== title;
    if (changed) this.deps.logger.debug({ documentName: documentId }, 'derived title updated');
    return changed;
  }

  /**
   * Derives titles of documents edited since their title was derived and
   * quiet for `pauseMs` (those the automatic versions skipped: versioned
   * recently, or unchanged). Returns how many titles changed.
   */
  async tick(): Promise<number> {
    const { db, store, logger, config } = this.deps;
    const { rows } = await db.query<{ id: string; seen: string }>(
      `SELECT d.id, d.updated_at::text AS seen FROM documents d
        WHERE d.title_source = 'derived'
          AND (d.title_derived_at IS NULL OR d.title_derived_at < d.updated_at)
          AND d.updated_at < now() - make_interval(secs => $1::double precision / 1000)
          AND (EXISTS (SELECT 1 FROM document_states s WHERE s.document_id = d.id) OR EXISTS (SELECT 1 FROM document_updates u WHERE u.document_id = d.id))
        ORDER BY d.updated_at LIMIT $2`,
      [config.pauseMs, config.documentsPerTick],
    );
    let changed = 0;
    for (const row of rows) {
      try {
        const state = await store.loadMerged(row.id);
        if (state === null) continue;
        if (await this.apply(row.id, yStateToJSON(state), row.seen)) changed += 1;
      } catch (error) {
        logger.error({ err: error, documentName: row.id }, 'derived title failed');
        // Not retried every tick: the next edit makes it due again.
        await db.query('UPDATE documents SET title_derived_at = $2::timestamptz WHERE id = $1', [row.id, row.seen]).catch((markError: unknown) =>
          logger.error({ err: markError, documentName: row.id }, 'derived title could not be marked as tried'),
        );
      }
    }
    return changed;
  }
}

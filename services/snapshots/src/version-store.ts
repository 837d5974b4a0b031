import { asBytes, type Database, type Sql } from '@copycloud/db';

export type VersionKind = 'auto' | 'named' | 'restore';

export interface VersionAuthor {
  userId: string;
  name: string;
}

export interface VersionSummary {
  /** Decimal string (bigserial), opaque to clients. */
  id: string;
  documentId: string;
  kind: VersionKind;
  name: string | null;
  author: VersionAuthor | null;
  createdAt: string;
}

export interface Version extends VersionSummary {
  state: Uint8Array;
}

/** Version names are shown in lists; bounded so one row cannot bloat every listing. */
export const VERSION_NAME_MAX_CHARS = 200;
/** Version ids are bigserial: 1-18 digits; anything else is not a version. */
export const VERSION_ID_PATTERN = /^[1-9][0-9]{0,17}$/;

export function isVersionId(value: string): boolean {
  return VERSION_ID_PATTERN.test(value);
}

interface VersionRow {
  id: string | number;
  document_id: string;
  kind: VersionKind;
  name: string | null;
  author_id: string | null;
  author_name: string | null;
  created_at: Date | string;
  state?: unknown;
}

const SUMMARY_COLUMNS = 'id, document_id, kind, name, author_id, author_name, created_at';

function toSummary(row: VersionRow): VersionSummary {
  return {
    id: String(row.id),
    documentId: row.document_id,
    kind: row.kind,
    name: row.name,
    author: row.author_id ? { userId: row.author_id, name: row.author_name ?? '' } : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export interface RetentionPolicy {
  /** Newest automatic versions kept per document. */
  keepAutoVersions: number;
  /** Automatic versions older than this are deleted (named and restore versions are kept). */
  autoVersionMaxAgeMs: number;
}

/** The version history in Postgres (document_versions). */
export class VersionStore {
  constructor(private readonly db: Database) {}

  async create(
    input: { documentId: string; kind: VersionKind; name?: string | null; author?: VersionAuthor | null; state: Uint8Array },
    tx: Sql = this.db,
  ): Promise<VersionSummary> {
    const { rows } = await tx.query<VersionRow>(
      `INSERT INTO document_versions (document_id, kind, name, author_id, author_name, state)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SUMMARY_COLUMNS}`,
      [input.documentId, input.kind, input.name ?? null, input.author?.userId ?? null, input.author?.name ?? null, input.state],
    );
    return toSummary(rows[0]!);
  }

  /** Newest first. */
  async list(documentId: string, limit = 500): Promise<VersionSummary[]> {
    const { rows } = await this.db.query<VersionRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM document_versions WHERE document_id = $1 ORDER BY id DESC LIMIT $2`,
      [documentId, limit],
    );
    return rows.map(toSummary);
  }

  /** A version of this document, or null (also when the id belongs to another document). */
  async get(documentId: string, versionId: string): Promise<Version | null> {
    if (!isVersionId(versionId)) return null;
    const { rows } = await this.db.query<VersionRow>(
      `SELECT ${SUMMARY_COLUMNS}, state FROM document_versions WHERE id = $1 AND document_id = $2`,
      [versionId, documentId],
    );
    const row = rows[0];
    return row ? { ...toSummary(row), state: asBytes(row.state) } : null;
  }

  async latest(documentId: string, tx: Sql = this.db): Promise<Version | null> {
    const { rows } = await tx.query<VersionRow>(
      `SELECT ${SUMMARY_COLUMNS}, state FROM document_versions WHERE document_id = $1 ORDER BY id DESC LIMIT 1`,
      [documentId],
    );
    const row = rows[0];
    return row ? { ...toSummary(row), state: asBytes(row.state) } : null;
  }

  /** Deletes automatic versions past the policy; returns how many. */
  async applyRetention(documentId: string, policy: RetentionPolicy, tx: Sql = this.db): Promise<number> {
    const { rows } = await tx.query<{ id: string }>(
      `DELETE FROM document_versions WHERE id IN (
         SELECT id FROM (
           SELECT id, created_at, row_number() OVER (ORDER BY id DESC) AS rank
           FROM document_versions WHERE document_id = $1 AND kind = 'auto'
         ) ranked
         WHERE rank > $2 OR created_at < now() - make_interval(secs => $3::double precision / 1000)
       ) RETURNING id`,
      [documentId, policy.keepAutoVersions, policy.autoVersionMaxAgeMs],
    );
    return rows.length;
  }

  /**
   * Documents due an automatic version: no edit for `pauseMs`, edited after
   * their newest version, and no automatic version within `minIntervalMs`.
   */
  async dueForAutoVersion(options: { pauseMs: number; minIntervalMs: number; limit: number }): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT d.id FROM documents d
       WHERE d.updated_at < now() - make_interval(secs => $1::double precision / 1000)
         AND (EXISTS (SELECT 1 FROM document_states s WHERE s.document_id = d.id) OR EXISTS (SELECT 1 FROM document_updates u WHERE u.document_id = d.id))
         AND NOT EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.created_at >= d.updated_at)
         AND NOT EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.kind = 'auto'
                         AND v.created_at > now() - make_interval(secs => $2::double precision / 1000))
       ORDER BY d.updated_at LIMIT $3`,
      [options.pauseMs, options.minIntervalMs, options.limit],
    );
    return rows.map((r) => r.id);
  }
}

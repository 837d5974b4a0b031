import type { Database } from './database.js';

export interface Migration {
  /** Sortable, never renamed once released. */
  id: string;
  sql: string;
}

/**
 * The schema, as ordered migrations. Other packages (auth, snapshots, ai)
 * contribute theirs through `runMigrations(db, [...coreMigrations, ...own])`;
 * ids are prefixed by owner so they never collide.
 */
export const coreMigrations: Migration[] = [
  {
    id: 'core-0001-documents',
    sql: `
      CREATE TABLE IF NOT EXISTS documents (
        id          text PRIMARY KEY,
        title       text NOT NULL DEFAULT '',
        state       bytea,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      -- Append-only update log: one row per client update (or merged batch).
      -- Loading a document = documents.state merged with every row here.
      CREATE TABLE IF NOT EXISTS document_updates (
        id           bigserial PRIMARY KEY,
        document_id  text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        update       bytea NOT NULL,
        origin_node  text NOT NULL DEFAULT '',
        created_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS document_updates_document_id_idx ON document_updates (document_id, id);
    `,
  },
  {
    // Titles follow the first line of the content (derived by the snapshots
    // sidecar) until someone renames the document (auth's PATCH). Existing
    // non-empty titles were given by people: they become manual.
    id: 'core-0002-document-titles',
    sql: `
      ALTER TABLE documents ADD COLUMN IF NOT EXISTS title_source text NOT NULL DEFAULT 'derived'
        CHECK (title_source IN ('derived', 'manual'));
      ALTER TABLE documents ADD COLUMN IF NOT EXISTS title_derived_at timestamptz;
      UPDATE documents SET title_source = 'manual' WHERE title <> '';
    `,
  },
  {
    // The compacted state moves out of the documents row: appends bump
    // documents.updated_at in every group commit, and a compactor that held
    // that row for the length of a merge stalled every "saved" behind it.
    // Compactors now serialize on an advisory lock per document. Rows that fail
    // validation (at append or at load) are kept, never deleted, in
    // document_update_quarantine for an operator to inspect.
    id: 'core-0003-document-states-and-quarantine',
    sql: `
      CREATE TABLE IF NOT EXISTS document_states (
        document_id   text PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        state         bytea NOT NULL,
        compacted_at  timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO document_states (document_id, state)
        SELECT id, state FROM documents WHERE state IS NOT NULL
        ON CONFLICT (document_id) DO NOTHING;
      ALTER TABLE documents DROP COLUMN IF EXISTS state;
      CREATE TABLE IF NOT EXISTS document_update_quarantine (
        id              bigserial PRIMARY KEY,
        document_id     text NOT NULL,
        update          bytea NOT NULL,
        origin_node     text NOT NULL DEFAULT '',
        reason          text NOT NULL,
        log_id          bigint,
        quarantined_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS document_update_quarantine_document_idx ON document_update_quarantine (document_id);
    `,
  },
];

/**
 * Applies pending migrations in order, all in one transaction (a failure
 * applies none of them), under an advisory lock so several processes
 * starting together apply each once.
 */
export async function runMigrations(db: Database, migrations: readonly Migration[] = coreMigrations): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  return db.transaction(async (tx) => {
    // Transaction-scoped advisory lock: released on commit, even if we crash.
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.id));
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      newlyApplied.push(migration.id);
    }
    return newlyApplied;
  });
}

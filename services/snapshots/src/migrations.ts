import type { Migration } from '@copycloud/db';

/** The version history. Run after coreMigrations (documents must exist). */
export const snapshotsMigrations: Migration[] = [
  {
    id: 'snapshots-0001-document-versions',
    sql: `
      -- One row per version: a full Yjs state (gc'd), so viewing or restoring a
      -- version never replays the log. kind: auto (after a pause in editing),
      -- named (a person named it), restore (the state right after a restore).
      CREATE TABLE IF NOT EXISTS document_versions (
        id           bigserial PRIMARY KEY,
        document_id  text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN ('auto', 'named', 'restore')),
        name         text,
        author_id    text,
        author_name  text,
        state        bytea NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS document_versions_document_idx ON document_versions (document_id, id DESC);
    `,
  },
  {
    // Same definition as auth-0002-document-title-source (services/auth): the
    // auto-versioner derives titles from it, and this sidecar may run (and
    // start) without auth. Whichever migration runs first adds the columns.
    id: 'snapshots-0002-document-title-source',
    sql: `
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = 'documents' AND column_name = 'title_source') THEN
          ALTER TABLE documents ADD COLUMN title_source text NOT NULL DEFAULT 'derived' CHECK (title_source IN ('derived', 'manual'));
          ALTER TABLE documents ADD COLUMN title_derived_at timestamptz;
          UPDATE documents SET title_source = 'manual' WHERE title <> '';
        END IF;
      END
      $$;
    `,
  },
];

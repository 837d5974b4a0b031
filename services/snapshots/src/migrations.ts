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
];

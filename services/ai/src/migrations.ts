import type { Migration } from '@copycloud/db';

/** The AI sidecar's tables; run after coreMigrations: `runMigrations(db, [...coreMigrations, ...aiMigrations])`. */
export const aiMigrations: Migration[] = [
  {
    id: 'ai-0001-usage-and-settings',
    sql: `
      -- One row per finished AI request (success or failure), for quotas and cost reports.
      CREATE TABLE IF NOT EXISTS ai_usage (
        id             bigserial PRIMARY KEY,
        user_id        text NOT NULL,
        document_id    text NOT NULL,
        kind           text NOT NULL,
        model          text NOT NULL,
        input_tokens   integer NOT NULL DEFAULT 0,
        output_tokens  integer NOT NULL DEFAULT 0,
        outcome        text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS ai_usage_user_day_idx ON ai_usage (user_id, created_at);
      -- Per-document AI settings; the brand-voice note goes into every prompt for the document.
      CREATE TABLE IF NOT EXISTS ai_document_settings (
        document_id  text PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        brand_voice  text NOT NULL DEFAULT '',
        updated_at   timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];

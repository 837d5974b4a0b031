import type { Database } from '@copycloud/db';

export interface UsageRecord {
  userId: string;
  documentId: string;
  kind: 'complete' | 'rewrite';
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** `ok` or an AiError code. */
  outcome: string;
}

/** Usage per user in Postgres: what the daily quota counts and what cost reports read. */
export class UsageStore {
  constructor(private readonly db: Database) {}

  async record(usage: UsageRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO ai_usage (user_id, document_id, kind, model, input_tokens, output_tokens, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [usage.userId, usage.documentId, usage.kind, usage.model, usage.inputTokens, usage.outputTokens, usage.outcome],
    );
  }

  /** Tokens (input + output) the user spent since midnight UTC. */
  async tokensToday(userId: string): Promise<number> {
    const { rows } = await this.db.query<{ total: string | number | null }>(
      `SELECT COALESCE(SUM(input_tokens + output_tokens), 0) AS total FROM ai_usage
       WHERE user_id = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [userId],
    );
    return Number(rows[0]?.total ?? 0);
  }
}

/** The per-document brand-voice note. */
export class BrandVoiceStore {
  constructor(private readonly db: Database) {}

  async get(documentId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ brand_voice: string }>(
      'SELECT brand_voice FROM ai_document_settings WHERE document_id = $1',
      [documentId],
    );
    const note = rows[0]?.brand_voice ?? '';
    return note === '' ? null : note;
  }

  async set(documentId: string, note: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ai_document_settings (document_id, brand_voice) VALUES ($1, $2)
       ON CONFLICT (document_id) DO UPDATE SET brand_voice = EXCLUDED.brand_voice, updated_at = now()`,
      [documentId, note],
    );
  }
}

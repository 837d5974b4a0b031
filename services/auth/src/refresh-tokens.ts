import type { Database } from '@copycloud/db';
import { hashSecret, newId, newSecret } from './ids.js';

/** Refresh tokens last 30 days; each use rotates them. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export type RefreshOutcome =
  | { ok: true; userId: string; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

/**
 * Rotating refresh tokens, stored as sha256 hashes. Using a token spends it
 * and issues its successor in the same family; presenting a spent token again
 * means it was stolen (or replayed), so the whole family is revoked.
 */
export class RefreshTokens {
  constructor(private readonly db: Database) {}

  async issue(userId: string, familyId: string = newId('rf')): Promise<string> {
    const token = newSecret();
    await this.db.query(
      `INSERT INTO auth_refresh_tokens (id, user_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [newId('rt'), userId, familyId, hashSecret(token), REFRESH_TOKEN_TTL_SECONDS],
    );
    return token;
  }

  async rotate(token: string): Promise<RefreshOutcome> {
    const outcome = await this.db.transaction(async (tx): Promise<RefreshOutcome | { reuse: string }> => {
      const { rows } = await tx.query<{ id: string; user_id: string; family_id: string; expired: boolean; used_at: unknown; revoked_at: unknown }>(
        `SELECT id, user_id, family_id, expires_at <= now() AS expired, used_at, revoked_at
           FROM auth_refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [hashSecret(token)],
      );
      const row = rows[0];
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
      if (row.used_at !== null) return { reuse: row.family_id };
      if (row.expired) return { ok: false, reason: 'expired' };
      await tx.query('UPDATE auth_refresh_tokens SET used_at = now() WHERE id = $1', [row.id]);
      const next = newSecret();
      await tx.query(
        `INSERT INTO auth_refresh_tokens (id, user_id, family_id, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
        [newId('rt'), row.user_id, row.family_id, hashSecret(next), REFRESH_TOKEN_TTL_SECONDS],
      );
      return { ok: true, userId: row.user_id, refreshToken: next };
    });
    if ('reuse' in outcome) {
      await this.db.query('UPDATE auth_refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [outcome.reuse]);
      return { ok: false, reason: 'reused' };
    }
    return outcome;
  }

  /** Log out one session (the token's family). */
  async revokeFamilyOf(token: string): Promise<void> {
    await this.db.query(
      `UPDATE auth_refresh_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM auth_refresh_tokens WHERE token_hash = $1)`,
      [hashSecret(token)],
    );
  }

  /** Log out everywhere. */
  async revokeAllOf(userId: string): Promise<number> {
    const { rows } = await this.db.query('UPDATE auth_refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id', [userId]);
    return rows.length;
  }
}

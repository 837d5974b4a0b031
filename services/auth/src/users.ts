import type { Sql } from '@copycloud/db';
import { newId } from './ids.js';

export interface User {
  id: string;
  email: string | null;
  name: string;
  color: string;
  guest: boolean;
  createdAt: string;
}

interface UserRow {
  id: string;
  email: string | null;
  password_hash: string | null;
  name: string;
  color: string;
  guest: boolean;
  created_at: Date | string;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    color: row.color,
    guest: row.guest,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Postgres unique violation. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

export class UserRepository {
  constructor(private readonly db: Sql) {}

  async create(input: { email: string | null; passwordHash: string | null; name: string; color: string; guest: boolean }): Promise<User> {
    const { rows } = await this.db.query<UserRow>(
      `INSERT INTO users (id, email, password_hash, name, color, guest) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, email, password_hash, name, color, guest, created_at`,
      [newId('u'), input.email, input.passwordHash, input.name, input.color, input.guest],
    );
    return toUser(rows[0]!);
  }

  async byId(id: string): Promise<User | null> {
    const { rows } = await this.db.query<UserRow>(
      'SELECT id, email, password_hash, name, color, guest, created_at FROM users WHERE id = $1',
      [id],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** The user and their password hash, for login only. */
  async credentialsByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | null> {
    const { rows } = await this.db.query<UserRow>(
      'SELECT id, email, password_hash, name, color, guest, created_at FROM users WHERE email = $1',
      [email],
    );
    return rows[0] ? { user: toUser(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  /** Turns a guest into a full account, keeping its id (and so its documents). Null if not a guest. */
  async upgradeGuest(id: string, input: { email: string; passwordHash: string; name?: string }): Promise<User | null> {
    const { rows } = await this.db.query<UserRow>(
      `UPDATE users SET email = $2, password_hash = $3, name = COALESCE($4, name), guest = false, updated_at = now()
        WHERE id = $1 AND guest = true
        RETURNING id, email, password_hash, name, color, guest, created_at`,
      [id, input.email, input.passwordHash, input.name ?? null],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }
}

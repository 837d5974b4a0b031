import { DocumentStore, type Database } from '@copycloud/db';
import { PostgresDocumentRoleLookup, roleAtLeast, type Role } from '@copycloud/auth-client';
import { newDocumentId, type DocumentSummary, type InvitePreview, type Member, type ShareLink, type ShareRole, type TitleSource } from '@copycloud/protocol';
import { hashSecret, newId, newSecret } from './ids.js';

// The response shapes are the wire contract the editor reads too.
export type { DocumentSummary, Member, ShareLink, ShareRole, TitleSource } from '@copycloud/protocol';

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

interface SummaryRow {
  id: string;
  title: string;
  title_source: TitleSource;
  role: Role;
  created_at: Date;
  updated_at: Date;
}

const toSummary = (row: SummaryRow): DocumentSummary => ({
  id: row.id,
  title: row.title,
  titleSource: row.title_source,
  role: row.role,
  createdAt: iso(row.created_at)!,
  updatedAt: iso(row.updated_at)!,
});

/** Documents, members and share links (the ACL). Every query is parameterised. */
export class DocumentAccess {
  private readonly store: DocumentStore;
  private readonly roles: PostgresDocumentRoleLookup;

  constructor(private readonly db: Database) {
    this.store = new DocumentStore(db);
    this.roles = new PostgresDocumentRoleLookup(db);
  }

  /** The one role query, shared with the sidecars (auth-client). */
  roleOf(documentId: string, userId: string): Promise<Role | null> {
    return this.roles.roleOf(documentId, userId);
  }

  /** Creates an empty document owned by `ownerId`. A title given here was chosen by a person: 'manual'. */
  async create(ownerId: string, title: string): Promise<DocumentSummary> {
    const id = newDocumentId();
    await this.store.ensureDocument(id, title);
    if (title !== '') await this.db.query("UPDATE documents SET title_source = 'manual' WHERE id = $1", [id]);
    try {
      await this.db.query("INSERT INTO document_members (document_id, user_id, role) VALUES ($1, $2, 'owner')", [id, ownerId]);
    } catch (error) {
      // Never leave an ownerless document behind.
      await this.db.query('DELETE FROM documents WHERE id = $1', [id]);
      throw error;
    }
    return (await this.summary(id, ownerId))!;
  }

  async summary(documentId: string, userId: string): Promise<DocumentSummary | null> {
    const { rows } = await this.db.query<SummaryRow>(
      `SELECT d.id, d.title, d.title_source, m.role, d.created_at, d.updated_at
         FROM documents d JOIN document_members m ON m.document_id = d.id
        WHERE d.id = $1 AND m.user_id = $2`,
      [documentId, userId],
    );
    const row = rows[0];
    return row ? toSummary(row) : null;
  }

  async listFor(userId: string): Promise<DocumentSummary[]> {
    const { rows } = await this.db.query<SummaryRow>(
      `SELECT d.id, d.title, d.title_source, m.role, d.created_at, d.updated_at
         FROM documents d JOIN document_members m ON m.document_id = d.id
        WHERE m.user_id = $1 ORDER BY d.updated_at DESC, d.id LIMIT 500`,
      [userId],
    );
    return rows.map(toSummary);
  }

  /**
   * Names the document: the title stops following the content ('manual').
   * updated_at is left alone: it means "content edited" (lists sort by it and
   * the automatic versions wait on it).
   */
  async rename(documentId: string, title: string): Promise<void> {
    await this.db.query("UPDATE documents SET title = $2, title_source = 'manual' WHERE id = $1", [documentId, title]);
  }

  /** Deletes the document, its update log, members and links. Returns the user ids that had access. */
  async delete(documentId: string): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ user_id: string }>('SELECT user_id FROM document_members WHERE document_id = $1', [documentId]);
      await tx.query('DELETE FROM documents WHERE id = $1', [documentId]);
      return rows.map((r) => r.user_id);
    });
  }

  async members(documentId: string): Promise<Member[]> {
    const { rows } = await this.db.query<{ user_id: string; name: string; color: string; guest: boolean; role: Role }>(
      `SELECT m.user_id, u.name, u.color, u.guest, m.role
         FROM document_members m JOIN users u ON u.id = m.user_id
        WHERE m.document_id = $1 ORDER BY m.created_at, m.user_id`,
      [documentId],
    );
    return rows.map((r) => ({ userId: r.user_id, name: r.name, color: r.color, guest: r.guest, role: r.role }));
  }

  /**
   * Sets an existing member's role (an explicit role from an owner: no longer
   * tied to a share link). Refuses to leave the document without an owner.
   * Returns false when the user is not a member.
   */
  async setRole(documentId: string, userId: string, role: Role): Promise<'updated' | 'not_member' | 'last_owner'> {
    return this.db.transaction(async (tx) => {
      const current = await tx.query<{ role: Role }>(
        'SELECT role FROM document_members WHERE document_id = $1 AND user_id = $2 FOR UPDATE',
        [documentId, userId],
      );
      if (!current.rows[0]) return 'not_member';
      if (current.rows[0].role === 'owner' && role !== 'owner' && (await ownerCount(tx, documentId)) <= 1) return 'last_owner';
      await tx.query('UPDATE document_members SET role = $3, via_link_id = NULL WHERE document_id = $1 AND user_id = $2', [documentId, userId, role]);
      return 'updated';
    });
  }

  async removeMember(documentId: string, userId: string): Promise<'removed' | 'not_member' | 'last_owner'> {
    return this.db.transaction(async (tx) => {
      const current = await tx.query<{ role: Role }>(
        'SELECT role FROM document_members WHERE document_id = $1 AND user_id = $2 FOR UPDATE',
        [documentId, userId],
      );
      if (!current.rows[0]) return 'not_member';
      if (current.rows[0].role === 'owner' && (await ownerCount(tx, documentId)) <= 1) return 'last_owner';
      await tx.query('DELETE FROM document_members WHERE document_id = $1 AND user_id = $2', [documentId, userId]);
      return 'removed';
    });
  }

  async createShareLink(documentId: string, createdBy: string, role: ShareRole, expiresInHours?: number): Promise<{ link: ShareLink; token: string }> {
    const token = newSecret();
    const { rows } = await this.db.query<{ id: string; created_at: Date; expires_at: Date | null }>(
      `INSERT INTO share_links (id, document_id, token_hash, role, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(hours => $6::int) END)
       RETURNING id, created_at, expires_at`,
      [newId('sl'), documentId, hashSecret(token), role, createdBy, expiresInHours ?? null],
    );
    const row = rows[0]!;
    return { token, link: { id: row.id, documentId, role, createdAt: iso(row.created_at)!, expiresAt: iso(row.expires_at), revokedAt: null } };
  }

  async shareLinks(documentId: string): Promise<ShareLink[]> {
    const { rows } = await this.db.query<{ id: string; role: ShareRole; created_at: Date; expires_at: Date | null; revoked_at: Date | null }>(
      'SELECT id, role, created_at, expires_at, revoked_at FROM share_links WHERE document_id = $1 ORDER BY created_at, id',
      [documentId],
    );
    return rows.map((r) => ({ id: r.id, documentId, role: r.role, createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at) }));
  }

  /**
   * Revokes a link and removes the members who hold access only through it.
   * Returns those user ids (null when the link does not exist on this document).
   */
  async revokeShareLink(documentId: string, linkId: string): Promise<string[] | null> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query('UPDATE share_links SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND document_id = $2 RETURNING id', [linkId, documentId]);
      if (rows.length === 0) return null;
      const removed = await tx.query<{ user_id: string }>(
        "DELETE FROM document_members WHERE document_id = $1 AND via_link_id = $2 AND role <> 'owner' RETURNING user_id",
        [documentId, linkId],
      );
      return removed.rows.map((r) => r.user_id);
    });
  }

  /** The document, inviter and role behind a usable link; null when it is unknown, revoked or expired. */
  async previewShareLink(token: string): Promise<InvitePreview | null> {
    const { rows } = await this.db.query<{ title: string; name: string; role: ShareRole; expires_at: Date | null }>(
      `SELECT d.title, u.name, l.role, l.expires_at
         FROM share_links l JOIN documents d ON d.id = l.document_id JOIN users u ON u.id = l.created_by
        WHERE l.token_hash = $1 AND l.revoked_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > now())`,
      [hashSecret(token)],
    );
    const row = rows[0];
    return row ? { documentTitle: row.title, inviterName: row.name, role: row.role, expiresAt: iso(row.expires_at) } : null;
  }

  /**
   * Accepts a share link: the user becomes a member with the link's role, or
   * keeps a stronger role they already have. Null when the link is unknown,
   * revoked or expired.
   */
  async acceptShareLink(token: string, userId: string): Promise<{ documentId: string; role: Role; changed: boolean } | null> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; document_id: string; role: ShareRole }>(
        `SELECT id, document_id, role FROM share_links
          WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
        [hashSecret(token)],
      );
      const link = rows[0];
      if (!link) return null;
      const existing = await tx.query<{ role: Role }>(
        'SELECT role FROM document_members WHERE document_id = $1 AND user_id = $2 FOR UPDATE',
        [link.document_id, userId],
      );
      const current = existing.rows[0]?.role;
      if (current && roleAtLeast(current, link.role)) return { documentId: link.document_id, role: current, changed: false };
      await tx.query(
        `INSERT INTO document_members (document_id, user_id, role, via_link_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (document_id, user_id) DO UPDATE SET role = EXCLUDED.role, via_link_id = EXCLUDED.via_link_id`,
        [link.document_id, userId, link.role, link.id],
      );
      return { documentId: link.document_id, role: link.role, changed: true };
    });
  }
}

async function ownerCount(tx: { query: Database['query'] }, documentId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number | string }>("SELECT count(*) AS n FROM document_members WHERE document_id = $1 AND role = 'owner'", [documentId]);
  return Number(rows[0]?.n ?? 0);
}

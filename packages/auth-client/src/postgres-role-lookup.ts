import type { Sql } from '@copycloud/db';
import type { DocumentRoleLookup } from './identity.js';
import { isRole, type Role } from './roles.js';

/**
 * Reads roles from the auth service's `document_members` table. For sidecars
 * that share the database (snapshots, ai); sync nodes never call this.
 */
export class PostgresDocumentRoleLookup implements DocumentRoleLookup {
  constructor(private readonly db: Sql) {}

  async roleOf(documentId: string, userId: string): Promise<Role | null> {
    const { rows } = await this.db.query<{ role: string }>(
      'SELECT role FROM document_members WHERE document_id = $1 AND user_id = $2',
      [documentId, userId],
    );
    const role = rows[0]?.role;
    return isRole(role) ? role : null;
  }
}

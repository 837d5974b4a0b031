import * as Y from 'yjs';
import { Hono } from 'hono';
import { AuthError, type AccessTokenVerifier, type DocumentRoleLookup, type RequestIdentity, type Role } from '@copycloud/auth-client';
import { coreMigrations, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { createLogger } from '@copycloud/observability';
import { DOCUMENT_FIELD, replaceContent, type JSONContent } from '@copycloud/schema';
import { createTestSchema } from '@copycloud/testing';
import { DEFAULT_SNAPSHOTS_CONFIG, createSnapshotsService, snapshotsMigrations, type RestoreDelivery, type SnapshotsConfig, type SnapshotsService } from '../src/index.js';

export const quietLogger = createLogger({ name: 'snapshots-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * services/auth has not landed yet: a small verifier for tests. A token
 * `user:<id>` names that user; anything else is rejected like a bad JWT.
 */
export const testVerifier: AccessTokenVerifier = {
  async verifyAccessToken(token: string): Promise<RequestIdentity> {
    const match = /^user:([a-z0-9-]{1,40})$/.exec(token);
    if (!match) throw new AuthError('invalid_token', 'token is not valid');
    return { userId: match[1]!, name: `User ${match[1]}`, color: '#336699' };
  },
};

/** Per-document roles held in memory, like the ACL rows auth will keep in Postgres. */
export class TestRoles implements DocumentRoleLookup {
  private readonly roles = new Map<string, Map<string, Role>>();
  grant(documentId: string, userId: string, role: Role): void {
    if (!this.roles.has(documentId)) this.roles.set(documentId, new Map());
    this.roles.get(documentId)!.set(userId, role);
  }
  async roleOf(documentId: string, userId: string): Promise<Role | null> {
    return this.roles.get(documentId)?.get(userId) ?? null;
  }
}

export const bearer = (userId: string) => ({ authorization: `Bearer user:${userId}` });

export interface Implementation {
  name: 'pglite' | 'postgres';
  open(): Promise<{ db: Database; url?: string; cleanup(): Promise<void> }>;
}

/** Every storage test runs on both the embedded PGlite and the real Postgres. */
export const implementations: Implementation[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openDatabase({ dataDir: 'memory://' });
      await migrate(db);
      return { db, cleanup: () => db.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const schema = await createTestSchema('snap');
      const db = await openDatabase({ url: schema.url, dataDir: '' });
      await migrate(db);
      return {
        db,
        url: schema.url,
        async cleanup() {
          await db.close();
          await schema.drop();
        },
      };
    },
  },
];

export async function migrate(db: Database): Promise<void> {
  await runMigrations(db, [...coreMigrations, ...snapshotsMigrations]);
}

export function testConfig(overrides: Partial<SnapshotsConfig> = {}): SnapshotsConfig {
  return { ...DEFAULT_SNAPSHOTS_CONFIG, nodeId: 'snapshots-test', ...overrides };
}

export function startService(db: Database, options: { roles: TestRoles; delivery?: RestoreDelivery; config?: Partial<SnapshotsConfig> }): { service: SnapshotsService; app: Hono } {
  const service = createSnapshotsService({
    config: testConfig(options.config),
    db,
    logger: quietLogger,
    verifier: testVerifier,
    roles: options.roles,
    ...(options.delivery ? { delivery: options.delivery } : {}),
  });
  return { service, app: new Hono().route('/', service.app) };
}

/** The update that sets a fresh author's content to `json`, as an editor would produce. */
export function contentUpdate(doc: Y.Doc, json: JSONContent): Uint8Array {
  const before = Y.encodeStateVector(doc);
  replaceContent(doc, json, null);
  return Y.encodeStateAsUpdate(doc, before);
}

export const paragraphs = (...texts: string[]): JSONContent => ({
  type: 'doc',
  content: texts.map((text) => (text ? { type: 'paragraph', content: [{ type: 'text', text }] } : { type: 'paragraph' })),
});

/** Paragraph texts of a Y.Doc's editor content. */
export function paragraphTexts(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(DOCUMENT_FIELD)
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('') : ''));
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreMigrations, openDatabase, runMigrations, type Database, type Migration } from './index.js';
import { pgliteTemplateKey } from './pglite-template.js';

/** Tables, columns, types, defaults, nullability: what a schema is, minus row data. */
async function schemaOf(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ c: string }>(
    `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS c
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const indexes = await db.query<{ c: string }>(`SELECT indexdef AS c FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
  return [...rows.map((r) => r.c), ...indexes.rows.map((r) => r.c)];
}

async function migrationIds(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
  return rows.map((r) => r.id);
}

describe('STORE15: a new embedded database starts from a migrated template', () => {
  let root: string;
  let cacheDir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pglite-template-test-'));
    cacheDir = join(root, 'cache');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('STORE15 (schema): a database created from the template has the schema and migrations of one made by initdb + migrations', async () => {
    const fresh = await openDatabase({ dataDir: join(root, 'fresh') });
    const fromTemplate = await openDatabase({ dataDir: join(root, 'from-template'), pgliteTemplate: { migrations: coreMigrations, cacheDir } });
    try {
      assert.deepEqual(await runMigrations(fresh, coreMigrations), coreMigrations.map((m) => m.id));
      // Everything is already applied in the copy: running them again applies none.
      assert.deepEqual(await runMigrations(fromTemplate, coreMigrations), []);
      assert.deepEqual(await migrationIds(fromTemplate), await migrationIds(fresh));
      assert.deepEqual(await schemaOf(fromTemplate), await schemaOf(fresh));
      assert.ok((await schemaOf(fresh)).length > 0, 'the schema is not empty');
    } finally {
      await fresh.close();
      await fromTemplate.close();
    }
    assert.deepEqual(readdirSync(cacheDir), [pgliteTemplateKey(coreMigrations)], 'one template, nothing half-built left behind');
  });

  test('STORE15 (independent copies): databases from one template are independent, and an existing database is never overwritten', async () => {
    const a = await openDatabase({ dataDir: join(root, 'a'), pgliteTemplate: { migrations: coreMigrations, cacheDir } });
    const b = await openDatabase({ dataDir: join(root, 'b'), pgliteTemplate: { migrations: coreMigrations, cacheDir } });
    try {
      await a.query(`INSERT INTO documents (id) VALUES ('only-in-a')`);
      assert.equal((await b.query('SELECT id FROM documents')).rows.length, 0);
    } finally {
      await a.close();
      await b.close();
    }
    const reopened = await openDatabase({ dataDir: join(root, 'a'), pgliteTemplate: { migrations: coreMigrations, cacheDir } });
    try {
      assert.deepEqual((await reopened.query<{ id: string }>('SELECT id FROM documents')).rows, [{ id: 'only-in-a' }]);
    } finally {
      await reopened.close();
    }
  });

  test('STORE15 (rebuilt on change): changed migrations (a new one, or new SQL under the same id) are a new template, built with them', async () => {
    const extra: Migration = { id: 'test-0001-extra', sql: 'CREATE TABLE template_extra (id int PRIMARY KEY)' };
    const changed: Migration = { id: 'test-0001-extra', sql: 'CREATE TABLE template_extra (id int PRIMARY KEY, note text)' };
    const withExtra = [...coreMigrations, extra];
    const withChanged = [...coreMigrations, changed];
    assert.notEqual(pgliteTemplateKey(withExtra), pgliteTemplateKey(coreMigrations));
    assert.notEqual(pgliteTemplateKey(withChanged), pgliteTemplateKey(withExtra), 'the SQL is in the key, not only the ids');

    const db = await openDatabase({ dataDir: join(root, 'changed'), pgliteTemplate: { migrations: withChanged, cacheDir } });
    try {
      assert.deepEqual(await runMigrations(db, withChanged), []);
      const columns = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'template_extra' ORDER BY column_name`,
      );
      assert.deepEqual(
        columns.rows.map((r) => r.column_name),
        ['id', 'note'],
      );
    } finally {
      await db.close();
    }
    assert.ok(existsSync(join(cacheDir, pgliteTemplateKey(withChanged))));
    // The earlier schema's template is untouched: two schemas never share one.
    assert.ok(existsSync(join(cacheDir, pgliteTemplateKey(coreMigrations))));
  });
});

import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** The real Postgres every machine of this project runs (see README). */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  /** Connection string whose search_path is a fresh, empty schema. */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/**
 * A fresh schema on the real Postgres, so tests (and parallel runs) never see
 * each other's tables. The returned URL pins `search_path` to it.
 */
export async function createTestSchema(prefix = 't'): Promise<TestSchema> {
  const schema = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

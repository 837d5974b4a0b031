import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Database, QueryResult, Sql } from './database.js';
import { runMigrations, type Migration } from './migrations.js';
import { copyPgliteTemplate, ensurePgliteTemplate, isNewPgliteDataDir } from './pglite-template.js';

export interface DatabaseConfig {
  /** `postgres://…`; unset = embedded PGlite in `dataDir`. */
  url?: string | undefined;
  /** Directory for PGlite (default `./data`); `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** Pool size for a real server. */
  maxConnections?: number;
  /** Logs pool errors (an idle connection dropped by the server); default: silent. */
  onPoolError?: (error: Error) => void;
  /** PGlite only: a new database in `dataDir` starts as a copy of a cached template with these migrations applied. */
  pgliteTemplate?: PgliteTemplateConfig | undefined;
}

export interface PgliteTemplateConfig {
  /** The migrations the caller runs next (`runMigrations` then finds them applied). */
  migrations: readonly Migration[];
  /** Default `node_modules/.cache/copycloud/pglite-templates`. */
  cacheDir?: string | undefined;
  /**
   * The template could not be built or kept (e.g. a read-only node_modules):
   * the database is created the slow way (initdb), and this is told why.
   */
  onUnavailable?: (error: Error) => void;
}

/**
 * Bounds on every wait for a real server. Without them a Postgres that holds
 * packets (a network partition, not a reset) stalls each query for the
 * kernel's TCP timeout — minutes — and with it every "saved" and readiness
 * answer. With them a stalled query fails, its connection is discarded, and
 * callers retry on a fresh one.
 */
export const POSTGRES_TIMEOUTS = {
  /** Opening a connection (TCP + startup + auth). */
  connectMs: 5_000,
  /** A query's answer, measured by the client (the server may never see it). */
  queryMs: 15_000,
  /** The same bound enforced by the server, which also frees its locks. */
  statementMs: 15_000,
  /** A transaction left idle by a client that vanished releases its locks. */
  idleInTransactionMs: 30_000,
} as const;

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.url
    ? openPostgres(config.url, config.maxConnections ?? 10, config.onPoolError)
    : openPglite(config.dataDir ?? './data', config.pgliteTemplate);
}

export async function openPostgres(url: string, maxConnections = 10, onPoolError?: (error: Error) => void): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: POSTGRES_TIMEOUTS.connectMs,
    query_timeout: POSTGRES_TIMEOUTS.queryMs,
    statement_timeout: POSTGRES_TIMEOUTS.statementMs,
    idle_in_transaction_session_timeout: POSTGRES_TIMEOUTS.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
  });
  // A pool emits 'error' when an idle client's server goes away (restart,
  // failover). Without a listener that would crash the process; the next
  // query gets a fresh connection or a clear error instead.
  pool.on('error', (error) => onPoolError?.(error));
  const query = async <Row>(text: string, params?: readonly unknown[]) =>
    (await pool.query(text, params as unknown[])) as unknown as QueryResult<Row>;
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    query,
    async exec(text) {
      await pool.query(text);
    },
    async transaction(fn) {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        await client.query('BEGIN');
        const tx: Sql = {
          query: async <Row>(text: string, params?: readonly unknown[]) =>
            (await client.query(text, params as unknown[])) as unknown as QueryResult<Row>,
          exec: async (text) => {
            await client.query(text);
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        // A connection that failed (e.g. a query timed out on a stalled
        // network) may be mid-protocol: discard it rather than reuse it.
        client.release(failure);
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

export async function openPglite(dataDir: string, template?: PgliteTemplateConfig): Promise<Database> {
  const onDisk = !dataDir.startsWith('memory://');
  if (onDisk && template && isNewPgliteDataDir(dataDir)) {
    const templateDir = await ensurePgliteTemplate({ migrations: template.migrations, cacheDir: template.cacheDir, build: buildTemplate }).catch(
      (error: unknown) => {
        template.onUnavailable?.(error instanceof Error ? error : new Error(String(error)));
        return undefined;
      },
    );
    // A failed copy is a failing disk under dataDir, not a missing cache: it is thrown.
    if (templateDir) copyPgliteTemplate(templateDir, dataDir);
  }
  if (onDisk) mkdirSync(dataDir, { recursive: true });
  // Loaded on demand: services on a real Postgres never pay for the WASM build's memory.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir);
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    query: async <Row>(text: string, params?: readonly unknown[]) =>
      (await db.query<Row>(text, params as unknown[])) as QueryResult<Row>,
    async exec(text) {
      await db.exec(text);
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async <Row>(text: string, params?: readonly unknown[]) =>
            (await tx.query<Row>(text, params as unknown[])) as QueryResult<Row>,
          exec: async (text) => {
            await tx.exec(text);
          },
        }),
      ),
    async ping() {
      await db.query('SELECT 1');
    },
    close() {
      closed ??= db.close().then(() => undefined);
      return closed;
    },
  };
}

async function buildTemplate(dir: string, migrations: readonly Migration[]): Promise<void> {
  const db = await openPglite(dir);
  try {
    await runMigrations(db, migrations);
  } finally {
    // A clean shutdown: a copy of the directory must not need crash recovery.
    await db.close();
  }
}

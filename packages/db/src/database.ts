/**
 * The one interface every Copycloud component uses to reach SQL. Implemented
 * by node-postgres (a real server) and PGlite (embedded, WASM); the same SQL
 * and migrations run on both. Keep queries to that common dialect.
 */
export interface QueryResult<Row> {
  rows: Row[];
}

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** bytea comes back as Buffer from pg and Uint8Array from PGlite; callers get Uint8Array. */
export function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) {
    return value instanceof Buffer ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : value;
  }
  throw new TypeError(`expected bytea, got ${typeof value}`);
}

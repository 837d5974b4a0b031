import { randomBytes } from 'node:crypto';
import { openPostgres, DocumentStore, type Database } from '@copycloud/db';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { RedisProcess, SyncNodeProcess } from './processes.js';
import { TcpProxy } from './tcp-proxy.js';

export interface ClusterOptions {
  /** Sync nodes (n1, n2, …). */
  nodes: number;
  /** STORE_BATCH_MS for every node. */
  storeBatchMs?: number;
  /** Per node: extra environment (index 0 is n1). */
  nodeEnv?: Array<Record<string, string>>;
  /** Label for the Redis prefix and schema. */
  label: string;
}

/** A sync node with its client-side proxy (stable port, latency for "a delayed link"). */
export interface ClusterNode {
  readonly id: string;
  readonly process: SyncNodeProcess;
  /** What clients dial: ws://127.0.0.1:<front port>/sync, whatever port the node has now. */
  readonly front: TcpProxy;
  readonly syncUrl: string;
  readonly alive: boolean;
}

/**
 * Everything one scenario runs against, on loopback: a fresh Postgres schema
 * (reached by the nodes through a proxy the nemesis controls), a redis-server
 * of its own, and N sync node processes, each behind a client-side proxy.
 */
export class Cluster {
  readonly nodes: ClusterNode[] = [];
  readonly redisPrefix: string;
  /** For the checker: straight to Postgres, never through the proxy. */
  readonly store: DocumentStore;

  private constructor(
    readonly schema: TestSchema,
    readonly pgProxy: TcpProxy,
    readonly redis: RedisProcess,
    private readonly db: Database,
    label: string,
  ) {
    this.store = new DocumentStore(db);
    this.redisPrefix = `chaos-${label}-${randomBytes(3).toString('hex')}`.slice(0, 64);
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const schema = await createTestSchema('chaos');
    const pgUrl = new URL(schema.url);
    const pgProxy = new TcpProxy({ name: 'postgres', target: () => Number(pgUrl.port || 5432) });
    let redis: RedisProcess | undefined;
    let db: Database | undefined;
    try {
      await pgProxy.listen();
      redis = await RedisProcess.start();
      db = await openPostgres(schema.url, 2);
      const cluster = new Cluster(schema, pgProxy, redis, db, options.label);
      const proxiedUrl = new URL(schema.url);
      proxiedUrl.hostname = '127.0.0.1';
      proxiedUrl.port = String(pgProxy.port);
      for (let i = 0; i < options.nodes; i++) {
        const id = `n${i + 1}`;
        const env = {
          DATABASE_URL: proxiedUrl.toString(),
          REDIS_URL: redis.url,
          REDIS_PREFIX: cluster.redisPrefix,
          STORE_BATCH_MS: String(options.storeBatchMs ?? 5),
          ANTI_ENTROPY_INTERVAL_MS: '1000',
          SHUTDOWN_TIMEOUT_MS: '10000',
          ...(options.nodeEnv?.[i] ?? {}),
        };
        const process = new SyncNodeProcess(id, () => env);
        const front = new TcpProxy({ name: `${id}-front`, target: () => process.port });
        await front.listen();
        cluster.nodes.push({
          id,
          process,
          front,
          syncUrl: `ws://127.0.0.1:${front.port}/sync`,
          get alive() {
            return process.alive;
          },
        });
      }
      try {
        // The database must be migrated once before two nodes race to do it.
        await cluster.nodes[0]!.process.start();
        await Promise.all(cluster.nodes.slice(1).map((n) => n.process.start()));
      } catch (error) {
        await cluster.stop();
        throw error;
      }
      return cluster;
    } catch (error) {
      if (!db) {
        await pgProxy.close();
        await redis?.stop();
        await schema.drop().catch(() => {});
      }
      throw error;
    }
  }

  node(id: string): ClusterNode {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  liveNodes(): ClusterNode[] {
    return this.nodes.filter((n) => n.alive);
  }

  /** Ends every fault: Postgres proxy passes without latency, Redis up, every node up, client links fast. */
  async heal(): Promise<void> {
    this.pgProxy.latencyMs = 0;
    this.pgProxy.pass();
    for (const node of this.nodes) {
      node.front.latencyMs = 0;
      node.front.pass();
    }
    if (!this.redis.alive) await this.redis.start();
    await Promise.all(this.nodes.map((n) => n.process.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.process.stop('SIGKILL')));
    await Promise.all(this.nodes.map((n) => n.front.close()));
    await this.redis.stop();
    await this.pgProxy.close();
    await this.db.close().catch(() => {});
    await this.schema.drop().catch(() => {});
  }
}

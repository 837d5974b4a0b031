import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { openDatabase, runMigrations, type Database } from '@copycloud/db';
import { startHttpServer } from '@copycloud/http';
import { freePort, waitFor } from '@copycloud/testing';
import { createSyncNode, AuthorizationError, type DocumentAuthorizer, type ConnectionIdentity, type SyncNode, type SyncNodeConfig } from '../src/index.js';
import { quietLogger } from './helpers.js';

export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A channel prefix no other test run shares. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Tokens a test hands out; a stand-in for the JWT authorizer with the same interface and failure type. */
export const tableAuthorizer: DocumentAuthorizer = {
  async authorize(token: string): Promise<ConnectionIdentity> {
    switch (token) {
      case 'editor-token':
        return { userId: 'u-editor', name: 'Editor', color: '#00aa00', role: 'editor' };
      case 'viewer-token':
        return { userId: 'u-viewer', name: 'Viewer', color: '#0000aa', role: 'viewer' };
      default:
        throw new AuthorizationError('unknown token');
    }
  },
};

export interface ClusterNode {
  node: SyncNode;
  httpUrl: string;
  syncUrl: string;
  yjsUrl: string;
  stop(): Promise<void>;
}

/** A sync node in this process on port 0, wired to Redis with `prefix` (CONVENTIONS 14). */
export async function startClusterNode(options: {
  db: Database;
  redisUrl?: string;
  prefix: string;
  nodeId: string;
  authorizer?: DocumentAuthorizer;
  config?: Partial<SyncNodeConfig>;
}): Promise<ClusterNode> {
  const node = createSyncNode({
    config: {
      nodeId: options.nodeId,
      authDisabled: !options.authorizer,
      authIssuer: 'copycloud',
      redisUrl: options.redisUrl ?? SHARED_REDIS_URL,
      redisPrefix: options.prefix,
      antiEntropyIntervalMs: 200,
      maxPayloadBytes: 1024 * 1024,
      storeBatchMs: 2,
      maxDocumentsPerSocket: 4,
      ...options.config,
    },
    db: options.db,
    logger: quietLogger,
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
  });
  const http = await startHttpServer({ app: new Hono().route('/', node.opsRoutes), upgrades: [node.handleUpgrade], port: 0, host: '127.0.0.1' });
  await waitFor(() => node.redis === undefined || node.redis.redisReady, { message: 'redis ready' });
  const ws = http.url.replace('http', 'ws');
  return {
    node,
    httpUrl: http.url,
    syncUrl: `${ws}/sync`,
    yjsUrl: `${ws}/yjs`,
    async stop() {
      await node.shutdown();
      await http.close();
    },
  };
}

/** A fresh PGlite database, migrated. Nodes sharing it behave like nodes sharing Postgres. */
export async function memoryDatabase(): Promise<Database> {
  const db = await openDatabase({ dataDir: 'memory://' });
  await runMigrations(db);
  return db;
}

export interface Client {
  doc: Y.Doc;
  text: Y.Text;
  provider: HocuspocusProvider;
  destroy(): void;
}

export function hocuspocusClient(syncUrl: string, documentName: string, token = 'editor-token', doc = new Y.Doc()): Client {
  const provider = new HocuspocusProvider({ url: `${syncUrl}?doc=${encodeURIComponent(documentName)}`, name: documentName, document: doc, token });
  return {
    doc,
    text: doc.getText('t'),
    provider,
    destroy() {
      provider.destroy();
    },
  };
}

/** Every replica has the same bytes and the same state vector. */
export function assertIdentical(docs: Y.Doc[]): void {
  const [first, ...rest] = docs.map((d) => ({ state: Buffer.from(Y.encodeStateAsUpdate(d)), sv: Buffer.from(Y.encodeStateVector(d)), text: d.getText('t').toString() }));
  for (const other of rest) {
    if (other.text !== first!.text) throw new Error(`text differs: ${JSON.stringify(other.text.slice(0, 80))} vs ${JSON.stringify(first!.text.slice(0, 80))}`);
    if (!other.sv.equals(first!.sv)) throw new Error('state vectors differ');
    if (!other.state.equals(first!.state)) throw new Error('encoded states differ');
  }
}

export function randomEdit(text: Y.Text, random: () => number): void {
  const length = text.length;
  if (length > 0 && random() < 0.3) {
    const at = Math.floor(random() * length);
    text.delete(at, Math.min(1 + Math.floor(random() * 3), length - at));
  } else {
    text.insert(Math.floor(random() * (length + 1)), String.fromCharCode(97 + Math.floor(random() * 26)));
  }
}


export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A redis-server of this test's own (the machine's shared Redis must never be
 * restarted under other tests), on a port picked by binding port 0.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    }, { timeoutMs: 15_000, message: 'private redis-server up' });
  };
  const stop = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill('SIGKILL');
    });
  };
  await start();
  return { url, start, stop };
}

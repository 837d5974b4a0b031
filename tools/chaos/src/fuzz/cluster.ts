/**
 * What a fuzz scenario starts for itself: a fresh Postgres schema, one or
 * more real sync node processes (sync-server/src/main.ts through tsx) sharing
 * it and, optionally, Redis under a prefix nobody else uses; plus the
 * clients it drives: Hocuspocus providers that count "saved" acks, and a
 * reader of the stored document (DocumentStore.loadMerged). Everything it
 * starts is stopped by `stop()`, which never throws.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { DocumentStore, openDatabase } from '@copycloud/db';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import { createTestSchema, spawnService, type SpawnedService, type TestSchema } from '@copycloud/testing';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SYNC_MAIN = fileURLToPath(new URL('../../../../sync-server/src/main.ts', import.meta.url));
export const REDIS_URL = process.env.CHAOS_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface FuzzNode {
  name: string;
  service: SpawnedService;
  /** ws://127.0.0.1:port/sync */
  syncUrl: string;
  alive(): boolean;
  /** How it ended, if it did (for the report). */
  exit(): string | null;
}

export interface FuzzCluster {
  schema: TestSchema;
  nodes: FuzzNode[];
  redisPrefix: string | null;
  /** The stored document, merged (null: no such document). Throws if it does not load. */
  loadStored(documentId: string): Promise<Uint8Array | null>;
  stop(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function startCluster(options: {
  name: string;
  nodes: number;
  redis: boolean;
  env?: Record<string, string>;
  log(message: string): void;
}): Promise<FuzzCluster> {
  const schema = await createTestSchema(`chaos_${options.name.replace(/[^a-z0-9]/g, '_')}`);
  const redisPrefix = options.redis ? uniqueName(`chaos-${options.name}`) : null;
  const nodes: FuzzNode[] = [];
  // If this process ends without stop() (a crash, Ctrl-C), take the nodes with it.
  const killNow = () => {
    for (const node of nodes) if (node.alive()) node.service.process.kill('SIGKILL');
  };
  process.once('exit', killNow);
  const stopAll = async () => {
    process.off('exit', killNow);
    for (const node of nodes) await node.service.stop('SIGKILL').catch(() => undefined);
  };
  try {
    // One at a time: two tsx cold starts at once on 2 shared cores only start slower.
    for (let i = 0; i < options.nodes; i++) {
      const nodeName = `${options.name}-n${i + 1}`;
      const service = await spawnService({
        name: nodeName,
        main: SYNC_MAIN,
        cwd: REPO_ROOT,
        env: {
          DATABASE_URL: schema.url,
          AUTH_DISABLED: 'true',
          // spawnService waits for the info-level "listening" line.
          LOG_LEVEL: 'info',
          NODE_ID: nodeName,
          ANTI_ENTROPY_INTERVAL_MS: '500',
          ...(redisPrefix ? { REDIS_URL, REDIS_PREFIX: redisPrefix } : {}),
          ...options.env,
        },
      });
      let exit: string | null = null;
      service.process.once('exit', (code, signal) => {
        exit = signal ? `signal ${signal}` : `exit ${code}`;
      });
      nodes.push({
        name: nodeName,
        service,
        syncUrl: service.httpUrl.replace('http', 'ws') + '/sync',
        alive: () => exit === null,
        exit: () => exit,
      });
      options.log(`${nodeName} listening at ${service.httpUrl}`);
    }
  } catch (error) {
    await stopAll();
    await schema.drop().catch(() => undefined);
    throw error;
  }
  const db = await openDatabase({ url: schema.url, dataDir: '', maxConnections: 2 });
  const store = new DocumentStore(db);
  let stopped: Promise<void> | undefined;
  return {
    schema,
    nodes,
    redisPrefix,
    loadStored: (documentId) => store.loadMerged(documentId),
    stop() {
      stopped ??= (async () => {
        await stopAll();
        await db.close().catch(() => undefined);
        await schema.drop().catch(() => undefined);
      })();
      return stopped;
    },
  };
}

/** The last lines a node printed (warn and above, and anything not JSON), for notes. */
export function nodeComplaints(node: FuzzNode, max = 5): string[] {
  const out: string[] = [];
  for (const line of node.service.lines) {
    try {
      const entry = JSON.parse(line) as { level?: number | string; msg?: string; err?: { message?: string } };
      const level = typeof entry.level === 'number' ? entry.level : 0;
      if (level >= 40) out.push(`${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`);
    } catch {
      out.push(line);
    }
  }
  return out.slice(-max);
}

/**
 * A peer as a browser tab is one: a Y.Doc that outlives its connection (like
 * IndexedDB), connected through a real HocuspocusProvider, counting the
 * "saved" acks of its own clock. `goOffline` drops the provider, `goOnline`
 * makes a new one on the same doc (possibly to another node).
 */
export class Peer {
  provider: HocuspocusProvider | null = null;
  /** Highest clock of this doc's own client that a node acknowledged as saved. */
  ackedClock = 0;
  acks = 0;
  storageErrors = 0;
  closeCodes: number[] = [];
  url = '';

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    private readonly documentName: string,
  ) {}

  goOnline(syncUrl: string): void {
    if (this.provider) this.goOffline();
    this.url = syncUrl;
    const provider = new HocuspocusProvider({
      url: `${syncUrl}?doc=${encodeURIComponent(this.documentName)}`,
      name: this.documentName,
      document: this.doc,
      token: 'chaos',
    });
    provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = decodeServerStateless(payload);
      if (message?.type === 'saved') {
        this.acks += 1;
        const clock = Y.decodeStateVector(fromBase64(message.sv)).get(this.doc.clientID) ?? 0;
        if (clock > this.ackedClock) this.ackedClock = clock;
      } else if (message?.type === 'storage-error') {
        this.storageErrors += 1;
      }
    });
    provider.on('close', ({ event }: { event: { code: number } }) => {
      this.closeCodes.push(event.code);
    });
    this.provider = provider;
  }

  goOffline(): void {
    this.provider?.destroy();
    this.provider = null;
  }

  get online(): boolean {
    return this.provider !== null;
  }

  get synced(): boolean {
    return this.provider !== null && this.provider.isSynced && this.provider.unsyncedChanges === 0;
  }

  /** This doc's own clock (the next clock it would use). */
  get ownClock(): number {
    return Y.getState(this.doc.store, this.doc.clientID);
  }

  destroy(): void {
    this.goOffline();
  }
}

/** A throwaway client that syncs once from `syncUrl` and returns its doc (null: no sync within the timeout). */
export async function freshReplica(syncUrl: string, documentName: string, timeoutMs = 15_000): Promise<Y.Doc | null> {
  const peer = new Peer('probe', new Y.Doc(), documentName);
  peer.goOnline(syncUrl);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (peer.provider?.isSynced) return peer.doc;
      await sleep(20);
    }
    return null;
  } finally {
    peer.destroy();
  }
}

export function docFromUpdate(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` until true or `timeoutMs`; returns whether it became true. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

export function stateVectorsEqual(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));
}

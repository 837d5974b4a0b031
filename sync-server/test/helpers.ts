import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { openDatabase, runMigrations, type Database } from '@copycloud/db';
import { startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { spawnService, waitFor } from '@copycloud/testing';
import { createSyncNode, type SyncNode, type SyncNodeConfig } from '../src/index.js';

export const quietLogger = createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface InProcessNode {
  node: SyncNode;
  db: Database;
  httpUrl: string;
  /** ws://…/sync */
  syncUrl: string;
  stop(): Promise<void>;
}

/** A real sync node in this process, on port 0 (CONVENTIONS 14). */
export async function startInProcessNode(options: { db?: Database; config?: Partial<SyncNodeConfig> } = {}): Promise<InProcessNode> {
  const ownDb = !options.db;
  const db = options.db ?? (await openDatabase({ dataDir: 'memory://' }));
  await runMigrations(db);
  const node = createSyncNode({
    config: {
      nodeId: `test-${process.pid}`,
      authDisabled: true,
      authIssuer: 'copycloud',
      maxPayloadBytes: 1024 * 1024,
      storeBatchMs: 2,
      maxDocumentsPerSocket: 4,
      ...options.config,
    },
    db,
    logger: quietLogger,
  });
  const http = await startHttpServer({ app: new Hono().route('/', node.opsRoutes), upgrades: [node.handleUpgrade], port: 0, host: '127.0.0.1' });
  return {
    node,
    db,
    httpUrl: http.url,
    syncUrl: http.url.replace('http', 'ws') + '/sync',
    async stop() {
      await node.shutdown();
      await http.close();
      if (ownDb) await db.close();
    },
  };
}

export interface TestClient {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  text: Y.Text;
  destroy(): void;
}

export function connectClient(syncUrl: string, documentName: string): TestClient {
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({
    url: `${syncUrl}?doc=${encodeURIComponent(documentName)}`,
    name: documentName,
    document: doc,
    token: 'test',
  });
  return {
    doc,
    provider,
    text: doc.getText('t'),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitSynced(client: TestClient): Promise<void> {
  await waitFor(() => client.provider.isSynced, { message: 'provider sync' });
}

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedNode {
  process: ChildProcess;
  httpUrl: string;
  syncUrl: string;
  lines: string[];
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The real `main` in its own process (tsx on the sources), ready when it logs "listening". */
export async function spawnNode(env: Record<string, string>): Promise<SpawnedNode> {
  const service = await spawnService({ name: 'sync node', main: MAIN, cwd: REPO_ROOT, env: { AUTH_DISABLED: 'true', ...env } });
  return { ...service, syncUrl: service.httpUrl.replace('http', 'ws') + '/sync' };
}

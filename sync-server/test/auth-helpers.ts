import { Hono } from 'hono';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { createInProcessAccessEventBus, createJwksVerifier, type AccessEventBus } from '@copycloud/auth-client';
import { openDatabase, type Database } from '@copycloud/db';
import { startHttpServer } from '@copycloud/http';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { createDocumentAuth, createSyncNode, type SyncNode } from '../src/index.js';
import { startAuth, type RunningAuth } from '../../services/auth/test/helpers.js';
import { quietLogger } from './helpers.js';

export interface AuthedNode {
  node: SyncNode;
  httpUrl: string;
  syncUrl: string;
  stop(): Promise<void>;
}

/** A sync node that verifies document tokens against the auth service's JWKS over real HTTP. */
export async function startAuthedNode(db: Database, jwksUrl: string, events: AccessEventBus, nodeId = 'auth-test-node'): Promise<AuthedNode> {
  const documentAuth = createDocumentAuth({ verifier: createJwksVerifier({ jwksUrl, issuer: 'copycloud' }), events, logger: quietLogger });
  const node = createSyncNode({
    config: { nodeId, authDisabled: false, authIssuer: 'copycloud', maxPayloadBytes: 1024 * 1024, storeBatchMs: 2, maxDocumentsPerSocket: 4 },
    db,
    logger: quietLogger,
    authorizer: documentAuth.authorizer,
    extensions: [documentAuth.liveAccess],
  });
  const http = await startHttpServer({ app: new Hono().route('/', node.opsRoutes), upgrades: [node.handleUpgrade], port: 0, host: '127.0.0.1' });
  return {
    node,
    httpUrl: http.url,
    syncUrl: http.url.replace('http', 'ws') + '/sync',
    async stop() {
      await node.shutdown();
      await http.close();
    },
  };
}

/** Auth + one node on a fresh schema of the real Postgres, sharing an in-process event bus. */
export async function startAuthStack(): Promise<{ auth: RunningAuth; node: AuthedNode; db: Database; events: AccessEventBus; stop(): Promise<void> }> {
  const schema: TestSchema = await createTestSchema('syncauth');
  const db = await openDatabase({ url: schema.url });
  const events = createInProcessAccessEventBus();
  const auth = await startAuth({}, { db, events });
  const node = await startAuthedNode(db, `${auth.url}/.well-known/jwks.json`, events);
  return {
    auth,
    node,
    db,
    events,
    async stop() {
      await node.stop();
      await auth.stop();
      await db.close();
      await schema.drop();
    },
  };
}

export interface AuthedClient {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  text: Y.Text;
  failures: string[];
  closes: string[];
  destroy(): void;
}

export function connectWithToken(syncUrl: string, documentName: string, token: string | (() => Promise<string>)): AuthedClient {
  const doc = new Y.Doc();
  const failures: string[] = [];
  const closes: string[] = [];
  const provider = new HocuspocusProvider({
    url: `${syncUrl}?doc=${encodeURIComponent(documentName)}`,
    name: documentName,
    document: doc,
    token,
    onAuthenticationFailed: ({ reason }) => failures.push(reason),
    onClose: ({ event }) => closes.push(event.reason),
  });
  return {
    doc,
    provider,
    text: doc.getText('t'),
    failures,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Opens `/yjs/ID?token=…`; resolves with the HTTP status of a refused upgrade, or 101. */
export function yjsUpgradeStatus(httpUrl: string, documentName: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${httpUrl.replace('http', 'ws')}/yjs/${documentName}?token=${encodeURIComponent(token)}`);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

/** A live y-websocket connection (readonly observation of the close code). */
export function openYjs(httpUrl: string, documentName: string, token: string): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${httpUrl.replace('http', 'ws')}/yjs/${documentName}?token=${encodeURIComponent(token)}`);
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('error', reject);
  });
}

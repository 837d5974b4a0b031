import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import type { Cluster, ClusterNode } from './cluster.js';
import { mulberry32, pick, type Random } from './random.js';

/** The shared type every writer appends to. */
export const TOKENS = 'tokens';

/** One appended token and the Yjs id of the item that carries it. */
export interface TokenRecord {
  token: string;
  client: number;
  clock: number;
  /** Which node's `saved` first covered it, and when (for reports on lost edits). */
  ackedBy?: { node: string; at: number; msAfterConnect: number };
}

/**
 * `ws` emits 'error' when a socket is closed before it connected (a writer
 * closing its tab while the node is down); the provider has detached its
 * listeners by then, and an 'error' without a listener would end the process.
 */
class QuietWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => {});
  }
}

/**
 * A provider on one node for one Y.Doc; reconnects with a short backoff (the
 * editor's is 250 ms – 5 s; shorter here so a run stays short).
 */
export class Connection {
  readonly provider: HocuspocusProvider;
  readonly openedAt = Date.now();
  private readonly socket: HocuspocusProviderWebsocket;

  constructor(
    readonly node: ClusterNode,
    readonly documentName: string,
    readonly doc: Y.Doc,
    onStateless: (payload: string) => void,
  ) {
    this.socket = new HocuspocusProviderWebsocket({
      url: `${node.syncUrl}?doc=${encodeURIComponent(documentName)}`,
      WebSocketPolyfill: QuietWebSocket,
      delay: 200,
      minDelay: 100,
      maxDelay: 1000,
      factor: 1.5,
      messageReconnectTimeout: 30_000,
    });
    this.provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: documentName,
      document: doc,
      token: 'chaos',
      onStateless: ({ payload }) => onStateless(payload),
    });
    this.provider.attach();
  }

  get synced(): boolean {
    return this.provider.isSynced;
  }

  destroy(): void {
    this.provider.destroy();
    this.socket.destroy();
  }
}

/**
 * A writer: one editor tab on one document. It appends unique tokens
 * ("w3:17") to a Y.Array whether or not it is connected (local-first), and
 * records which of them a node acknowledged as saved: a token is acknowledged
 * once a `saved` vector covers its item's clock.
 */
export class Writer {
  readonly doc = new Y.Doc();
  readonly tokens: TokenRecord[] = [];
  /** Largest clock per client that some node said is durable. */
  readonly durable = new Map<number, number>();
  connection: Connection | null = null;
  savedMessages = 0;
  storageErrors = 0;
  /** Times this writer moved to another node. */
  moves = 0;
  private seq = 0;
  /** Tokens before this index are acknowledged (clocks only grow, so acks come in order). */
  private firstUnacked = 0;

  /** The node it started on. */
  readonly home: ClusterNode;

  constructor(
    readonly id: string,
    readonly documentName: string,
    public node: ClusterNode,
  ) {
    this.home = node;
  }

  connect(node = this.node): void {
    this.connection?.destroy();
    if (node !== this.node) this.moves++;
    this.node = node;
    this.connection = new Connection(node, this.documentName, this.doc, (payload) => this.onStateless(payload));
  }

  /** "Closes the tab": no more messages either way; the Y.Doc (the browser's IndexedDB) stays. */
  disconnect(): void {
    this.connection?.destroy();
    this.connection = null;
  }

  append(): TokenRecord {
    const token = `${this.id}:${this.seq++}`;
    const client = this.doc.clientID;
    const record = { token, client, clock: Y.getState(this.doc.store, client) };
    this.doc.getArray<string>(TOKENS).push([token]);
    this.tokens.push(record);
    return record;
  }

  acknowledged(): TokenRecord[] {
    return this.tokens.filter((t) => (this.durable.get(t.client) ?? 0) > t.clock);
  }

  private onStateless(payload: string): void {
    const message = decodeServerStateless(payload);
    if (message?.type === 'storage-error') this.storageErrors++;
    if (message?.type !== 'saved') return;
    this.savedMessages++;
    for (const [client, clock] of Y.decodeStateVector(fromBase64(message.sv))) {
      if (clock > (this.durable.get(client) ?? 0)) this.durable.set(client, clock);
    }
    const now = Date.now();
    while (this.firstUnacked < this.tokens.length) {
      const token = this.tokens[this.firstUnacked]!;
      if ((this.durable.get(token.client) ?? 0) <= token.clock) break;
      token.ackedBy = { node: this.node.id, at: now, msAfterConnect: now - (this.connection?.openedAt ?? now) };
      this.firstUnacked++;
    }
  }

  destroy(): void {
    this.disconnect();
    this.doc.destroy();
  }
}

export interface WorkloadOptions {
  documents: number;
  writersPerDocument: number;
  /** Mean pause between two appends of the whole workload, ms. */
  intervalMs: number;
  /** Writers whose node is down move to a live one. */
  autoFailover: boolean;
}

/**
 * The token-append workload: writers spread over documents and nodes, one
 * seeded schedule deciding who types next and when.
 */
export class Workload {
  readonly writers: Writer[] = [];
  readonly documents: string[];
  private typing: NodeJS.Timeout | undefined;
  private failoverTimer: NodeJS.Timeout | undefined;
  appended = 0;
  private readonly failoverRandom: Random;

  constructor(
    private readonly cluster: Cluster,
    private readonly random: Random,
    private readonly options: WorkloadOptions,
    label: string,
  ) {
    this.failoverRandom = mulberry32(Math.floor(random() * 2 ** 32));
    this.documents = Array.from({ length: options.documents }, (_, d) => `chaos-${label}-d${d + 1}`);
    let w = 0;
    for (const documentName of this.documents) {
      for (let i = 0; i < options.writersPerDocument; i++) {
        // Writers of one document start on different nodes, so updates cross Redis.
        const node = cluster.nodes[w % cluster.nodes.length]!;
        this.writers.push(new Writer(`w${++w}`, documentName, node));
      }
    }
  }

  connectAll(): void {
    for (const writer of this.writers) writer.connect();
  }

  async waitSynced(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.writers.every((w) => w.connection?.synced)) {
      if (Date.now() > deadline) throw new Error(`writers not synced after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Starts typing: each tick one seeded writer appends one token. */
  start(): void {
    const tick = () => {
      const writer = pick(this.random, this.writers);
      writer.append();
      this.appended++;
      this.typing = setTimeout(tick, Math.round(this.options.intervalMs * (0.5 + this.random())));
    };
    this.typing = setTimeout(tick, 0);
    if (this.options.autoFailover) {
      this.failoverTimer = setInterval(() => this.failover(), 200);
    }
  }

  /** Writers on a dead node reconnect to a live one (what a load balancer does for a browser). */
  failover(): void {
    const live = this.cluster.liveNodes();
    if (live.length === 0) return;
    for (const writer of this.writers) {
      if (writer.connection && !writer.node.alive) writer.connect(pick(this.failoverRandom, live));
    }
  }

  stop(): void {
    clearTimeout(this.typing);
    clearInterval(this.failoverTimer);
    this.typing = undefined;
    this.failoverTimer = undefined;
  }

  /** Every writer "closes the tab"; returns the tokens acknowledged by then. */
  freeze(): TokenRecord[] {
    this.stop();
    for (const writer of this.writers) writer.disconnect();
    return this.writers.flatMap((w) => w.acknowledged());
  }

  /** Reopens every tab on a live node (the one it had, if alive). */
  reconnectAll(): void {
    const live = this.cluster.liveNodes();
    for (const writer of this.writers) writer.connect(writer.node.alive ? writer.node : pick(this.failoverRandom, live));
  }

  acknowledgedByDocument(): Map<string, TokenRecord[]> {
    const byDocument = new Map<string, TokenRecord[]>(this.documents.map((d) => [d, []]));
    for (const writer of this.writers) byDocument.get(writer.documentName)!.push(...writer.acknowledged());
    return byDocument;
  }

  storageErrors(): number {
    return this.writers.reduce((sum, w) => sum + w.storageErrors, 0);
  }

  destroy(): void {
    this.stop();
    for (const writer of this.writers) writer.destroy();
  }
}

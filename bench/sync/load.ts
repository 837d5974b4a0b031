// The load generator's scenarios: Hocuspocus providers (real clients) on real
// Y.Docs, writers on one node and readers on the other. Runs in its own
// process (load-process.ts) so the servers' CPU is theirs alone and the
// generator's CPU is reported apart.
//
// Latency = a writer's edit → a reader holds it (one process, one clock). An
// edit is identified by the document's "progress": characters ever inserted
// plus characters ever deleted (2 × Σ client clocks − length, for a text-only
// document), which every insertion and every deletion advances, so deletions
// are timed as well as insertions.
import { readFileSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import type { BurstResult, Profile, EditSource, Impl, KeystrokeHistoryResult, KeystrokeHistoryTask, Latency, NodeStats, Seed, StreamResult, StreamTask } from './types.js';

/** Wait this long after the last edit for stragglers before counting them lost. */
const DRAIN_TIMEOUT_MS = 3_000;
const SYNC_TIMEOUT_MS = 120_000;
/**
 * The long document is typed key by key in slices this long, each digested
 * before the next: one burst of 120k updates outruns both setups (stock had
 * not digested it after 5 minutes), and what is measured as a burst is the 20k deletions.
 */
const TYPING_SLICE_UPDATES = 2_000;
/** Edits made (or applied) between two turns of the generator's event loop while a burst is prepared. */
const BUILD_STEP = 500;
/** A burst is abandoned (and reported as such) after this long. */
const BURST_TIMEOUT_MS = 300_000;

interface Sizes {
  /** Long-history document: characters typed, then single-character deletions. */
  longInsertedChars: number;
  longDeletions: number;
  /** Characters per update while typing the long document key by key (1 = one update per keystroke). */
  typingChunkChars: number;
  /** Keystrokes of the real trace applied before the live stream continues it. */
  traceSeedKeystrokes: number;
}

const FULL: Sizes = { longInsertedChars: 120_000, longDeletions: 20_000, typingChunkChars: 1, traceSeedKeystrokes: 200_000 };
const QUICK: Sizes = { longInsertedChars: 12_000, longDeletions: 2_000, typingChunkChars: 1, traceSeedKeystrokes: 50_000 };

let sizes = FULL;
let tracesDir = '';
export function configure(quick: boolean, traces: string): Sizes {
  sizes = quick ? QUICK : FULL;
  tracesDir = traces;
  return sizes;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(2);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function latencyOf(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

type Structs = Map<number, Array<{ id: { clock: number }; length: number }>>;

/** Characters ever inserted plus characters ever deleted in text 't' (O(clients)). */
function progress(doc: Y.Doc): number {
  let inserted = 0;
  for (const structs of (doc.store as unknown as { clients: Structs }).clients.values()) {
    const last = structs[structs.length - 1];
    if (last) inserted += last.id.clock + last.length;
  }
  return 2 * inserted - doc.getText('t').length;
}

function clockOf(doc: Y.Doc, client: number): number {
  const structs = (doc.store as unknown as { clients: Structs }).clients.get(client);
  const last = structs?.[structs.length - 1];
  return last ? last.id.clock + last.length : 0;
}

/**
 * One request on a connection of its own (no keep-alive): a pooled connection
 * the node's server closed while idle during a long window made fetch fail.
 */
function request(method: 'GET' | 'POST', url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => (response.statusCode! < 300 ? resolve(body) : reject(new Error(`${method} ${url}: ${response.statusCode} ${body}`))));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function nodeStats(urls: string[]): Promise<NodeStats[]> {
  return Promise.all(urls.map(async (url) => JSON.parse(await request('GET', url)) as NodeStats));
}

async function post(url: string): Promise<void> {
  await request('POST', url);
}

function cpuMsOfThisProcess(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

/** A measurement window: both nodes' stats and this process's CPU at its start and end. */
async function window(statsUrls: string[], profile?: Profile) {
  if (profile) await post(`${profile.nodeUrl}/profile/start`);
  const before = await nodeStats(statsUrls);
  const loadBefore = cpuMsOfThisProcess();
  const started = performance.now();
  return async () => {
    const windowMs = performance.now() - started;
    const loadCpuMs = cpuMsOfThisProcess() - loadBefore;
    const after = await nodeStats(statsUrls);
    if (profile) await post(`${profile.nodeUrl}/profile/stop?file=${encodeURIComponent(profile.file)}`);
    const sum = (f: (s: NodeStats) => number) => after.reduce((t, s, i) => t + f(s) - f(before[i]!), 0);
    return { windowMs, loadCpuMs, serverCpuMs: sum((s) => s.cpuMs), publishes: sum((s) => s.publishes), publishBytes: sum((s) => s.publishBytes), rssMbPerNode: after.map((s) => s.rssBytes / 1048576) };
  };
}

// ---------------------------------------------------------------- documents

interface TraceFile {
  endContent: string;
  txns: Array<{ patches: Array<[number, number, string]> }>;
}
let traceCache: TraceFile | undefined;
function trace(): TraceFile {
  traceCache ??= JSON.parse(gunzipSync(readFileSync(join(tracesDir, 'sequential-automerge-paper.json.gz'))).toString('utf8')) as TraceFile;
  return traceCache;
}

function applyPatch(text: Y.Text, [position, deleted, inserted]: [number, number, string]): void {
  const doc = text.doc!;
  doc.transact(() => {
    if (deleted) text.delete(position, deleted);
    if (inserted) text.insert(position, inserted);
  });
}

const seeds = new Map<Seed, Uint8Array>();
/** A seed state, built once per load process: the same bytes for both setups. */
function seedState(seed: Seed): Uint8Array | undefined {
  if (seed === 'none') return undefined;
  const cached = seeds.get(seed);
  if (cached) return cached;
  const doc = new Y.Doc();
  const text = doc.getText('t');
  if (seed === 'trace') {
    // Applied keystroke by keystroke: the item structure real typing leaves.
    for (const txn of trace().txns.slice(0, sizes.traceSeedKeystrokes)) for (const patch of txn.patches) applyPatch(text, patch);
  } else {
    // Pre-merged: typed in 40-character chunks, scattered deletions, sent as one update.
    const source = longSource();
    for (let i = 0; i < source.length; i += 40) text.insert(i, source.slice(i, i + 40));
    const random = lcg(42);
    for (let i = 0; i < sizes.longDeletions; i++) text.delete(Math.floor(random() * (text.length - 1)), 1);
  }
  const state = Y.encodeStateAsUpdate(doc);
  seeds.set(seed, state);
  return state;
}

function longSource(): string {
  let source = trace().endContent;
  while (source.length < sizes.longInsertedChars) source += trace().endContent;
  return source.slice(0, sizes.longInsertedChars);
}

function lcg(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

// ---------------------------------------------------------------- peers

interface Peer {
  doc: Y.Doc;
  provider: HocuspocusProvider;
}

function connect(url: string, name: string, doc = new Y.Doc(), onSaved?: (clock: number) => void): Peer {
  const configuration = {
    url: `${url}?doc=${encodeURIComponent(name)}`,
    name,
    document: doc,
    token: 'bench',
    // Handed to the provider's own socket (HocuspocusProviderWebsocket), which
    // drops a socket it has read nothing from for this long. Its check runs in
    // the timers phase, before the messages waiting behind a long synchronous
    // step of this generator (building a burst) are read, so the default 30 s
    // closed healthy sockets here: leave closing to the servers.
    messageReconnectTimeout: 10 * 60_000,
    ...(onSaved
      ? {
          onStateless: ({ payload }: { payload: string }) => {
            const message = decodeServerStateless(payload);
            if (message?.type === 'saved') onSaved(Y.decodeStateVector(fromBase64(message.sv)).get(doc.clientID) ?? 0);
          },
        }
      : {}),
  };
  return { doc, provider: new HocuspocusProvider(configuration) };
}

/** One document: a writer, its readers, and each edit's send time keyed by the progress it reaches. */
class Group {
  readonly sent = new Map<number, number>();
  readonly latencies: number[] = [];
  readonly readerProgress: number[];
  savedClock = 0;
  /** Connections of this document closed (each reconnects and resyncs), with their close codes and reasons. */
  closes = 0;
  closeReasons: string[] = [];
  traceCursor = sizes.traceSeedKeystrokes;
  private random = lcg(7919);

  constructor(
    readonly name: string,
    readonly writer: Peer,
    readonly readers: Peer[],
  ) {
    this.readerProgress = readers.map(() => 0);
    for (const [index, peer] of [writer, ...readers].entries()) {
      peer.provider.on('close', ({ event }: { event?: { code?: number; reason?: string } }) => {
        this.closes += 1;
        if (this.closeReasons.length < 20) this.closeReasons.push(`${index === 0 ? 'writer' : 'reader'}: ${event?.code ?? '?'} ${event?.reason ?? ''}`.trim());
      });
    }
  }

  static open(name: string, writerUrl: string, readerUrls: string[], preload?: Uint8Array): Group {
    const writerDoc = new Y.Doc();
    if (preload) Y.applyUpdate(writerDoc, preload);
    let group: Group | undefined;
    const writer = connect(writerUrl, name, writerDoc, (clock) => {
      if (group) group.savedClock = Math.max(group.savedClock, clock);
    });
    group = new Group(name, writer, readerUrls.map((url) => connect(url, name)));
    return group;
  }

  synced(): boolean {
    return this.writer.provider.isSynced && this.readers.every((r) => r.provider.isSynced);
  }

  caughtUp(): boolean {
    const target = progress(this.writer.doc);
    return this.readerProgress.every((p) => p >= target);
  }

  /** From now on, every reader update times the edits it completes. */
  startTiming(): void {
    this.readers.forEach((reader, index) => {
      this.readerProgress[index] = progress(reader.doc);
      reader.doc.on('update', () => {
        const now = performance.now();
        const reached = progress(reader.doc);
        for (let p = this.readerProgress[index]! + 1; p <= reached; p++) {
          const t0 = this.sent.get(p);
          if (t0 !== undefined) this.latencies.push(now - t0);
        }
        if (reached > this.readerProgress[index]!) this.readerProgress[index] = reached;
      });
    });
  }

  edit(source: EditSource): void {
    const text = this.writer.doc.getText('t');
    const t0 = performance.now();
    if (source === 'trace') {
      const txn = trace().txns[this.traceCursor++ % trace().txns.length]!;
      for (const [position, deleted, inserted] of txn.patches) {
        // Past the seed the positions fit (same prefix); clamp in case the trace wrapped around.
        const at = Math.min(position, text.length);
        applyPatch(text, [at, Math.min(deleted, text.length - at), inserted]);
      }
    } else {
      text.insert(Math.floor(this.random() * (text.length + 1)), 'x');
    }
    this.sent.set(progress(this.writer.doc), t0);
  }

  close(): void {
    this.writer.provider.destroy();
    for (const r of this.readers) r.provider.destroy();
  }
}

async function openGroups(task: Pick<StreamTask, 'name' | 'docs' | 'seed'>): Promise<Group[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  const preload = seedState(task.seed);
  const groups = task.docs.map((d, i) => Group.open(`${task.name.replace(/[^a-z0-9]/gi, '-')}-${i}-${tag}`, d.writerUrl, d.readerUrls, preload));
  await until(() => groups.every((g) => g.synced()), SYNC_TIMEOUT_MS, `${task.name}: providers synced`);
  for (const g of groups) g.startTiming();
  await until(() => groups.every((g) => g.caughtUp()), SYNC_TIMEOUT_MS, `${task.name}: readers caught up`);
  return groups;
}

// ---------------------------------------------------------------- scenarios

/** Edits paced at `rate` per second over all documents, round-robin; every delivery timed. */
async function pacedStream(impl: Impl, name: string, groups: Group[], task: Pick<StreamTask, 'rate' | 'durationS' | 'edits' | 'statsUrls' | 'profile'>): Promise<StreamResult> {
  for (const g of groups) {
    g.latencies.length = 0;
    g.closes = 0;
    g.closeReasons = [];
  }
  const close = await window(task.statsUrls, task.profile);
  const intervalMs = 1000 / task.rate;
  const start = performance.now();
  const end = start + task.durationS * 1000;
  let edits = 0;
  while (performance.now() < end) {
    const due = Math.floor((performance.now() - start) / intervalMs) + 1;
    while (edits < due) {
      groups[edits % groups.length]!.edit(task.edits);
      edits += 1;
    }
    await sleep(Math.max(0, start + edits * intervalMs - performance.now()));
  }
  const sendMs = performance.now() - start;
  const deliveries = groups.reduce((t, g, i) => t + Math.ceil((edits - i) / groups.length) * g.readers.length, 0);
  const delivered = () => groups.reduce((t, g) => t + g.latencies.length, 0);
  const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (delivered() < deliveries && performance.now() < drainDeadline) await sleep(5);
  const w = await close();
  const latencies = groups.flatMap((g) => g.latencies);
  return {
    connectionsClosed: groups.reduce((t, g) => t + g.closes, 0),
    closeReasons: groups.flatMap((g) => g.closeReasons).slice(0, 20),
    case: name,
    impl,
    edits,
    deliveries,
    delivered: latencies.length,
    targetRate: task.rate,
    achievedRate: edits / (sendMs / 1000),
    latencyMs: latencyOf(latencies),
    cpuMsPerDeliveredEdit: w.serverCpuMs / Math.max(1, latencies.length),
    serverCpuMs: w.serverCpuMs,
    loadCpuMs: w.loadCpuMs,
    windowMs: w.windowMs,
    redisPublishesPerEdit: w.publishes / Math.max(1, edits),
    redisBytesPerEdit: w.publishBytes / Math.max(1, edits),
    rssMbPerNode: w.rssMbPerNode,
  };
}

export async function runStream(task: StreamTask): Promise<StreamResult> {
  const groups = await openGroups(task);
  try {
    return await pacedStream(task.impl, task.name, groups, task);
  } finally {
    for (const g of groups) g.close();
    await sleep(200);
  }
}

/** Varint as lib0 writes it (7 bits a byte, low first). */
function varUint(out: number[], n: number): void {
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** A Hocuspocus "document update" message, byte for byte what HocuspocusProvider sends for one Y.Doc update. */
function updateMessage(documentName: string, update: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(documentName);
  const head: number[] = [];
  varUint(head, name.length);
  head.push(...name);
  varUint(head, 0); // MessageType.Sync
  varUint(head, 2); // y-protocols messageYjsUpdate
  varUint(head, update.length);
  const message = new Uint8Array(head.length + update.length);
  message.set(head);
  message.set(update, head.length);
  return message;
}

/**
 * A burst: `edits` are made on a copy of the writer's document, one Yjs
 * update each, and encoded before the clock starts; then the messages are
 * written to the writer's socket in loops of `sliceSize` — as fast as a client
 * can possibly send, so the time measured is the servers' — each followed by
 * one marker insertion through the provider, and the next slice waits until
 * this one is digested. Times until the writer's node applied all (the
 * provider's sync-status acks), the reader on the other node holds all and —
 * ours — a "saved" ack covers the last marker (the log commits in order, so
 * everything before it is stored).
 */
async function burst(impl: Impl, name: string, group: Group, count: number, edit: (text: Y.Text, i: number) => void, statsUrls: string[], options: { profile?: Profile | undefined; sliceSize?: number } = {}): Promise<BurstResult> {
  const writer = group.writer;
  // A copy with a client id of its own (Yjs renames a replica that receives its own id from elsewhere).
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(writer.doc));
  const updates: Uint8Array[] = [];
  const progressAfter: number[] = [];
  copy.on('update', (update: Uint8Array) => {
    updates.push(update);
    progressAfter.push(progress(copy));
  });
  // Built in steps that let the event loop run: a generator blocked for long
  // answers no pings, and the servers rightly close its sockets (4408).
  const text = copy.getText('t');
  for (let i = 0; i < count; i++) {
    edit(text, i);
    if (i % BUILD_STEP === BUILD_STEP - 1) await yieldToLoop();
  }
  copy.destroy();
  const messages = updates.map((u) => updateMessage(group.name, u));
  const sliceSize = options.sliceSize ?? messages.length;
  const socket = writer.provider.configuration.websocketProvider;
  group.latencies.length = 0;
  group.closes = 0;
  group.closeReasons = [];
  const close = await window(statsUrls, options.profile);
  const start = performance.now();
  const deadline = start + BURST_TIMEOUT_MS;
  let sendMs = 0;
  let markers = 0;
  const at = { applied: NaN, delivered: NaN, stored: NaN };
  for (let from = 0; from < messages.length && performance.now() < deadline; from += sliceSize) {
    const to = Math.min(messages.length, from + sliceSize);
    const sendStart = performance.now();
    for (let i = from; i < to; i++) {
      writer.provider.incrementUnsyncedChanges();
      socket.send(messages[i]!);
      // Keys shift by the markers inserted so far (one per slice).
      group.sent.set(progressAfter[i]! + markers, performance.now());
    }
    sendMs += performance.now() - sendStart;
    // The writer's document catches up with what it sent (origin = its provider: not sent again).
    for (let i = from; i < to; i += BUILD_STEP) {
      writer.doc.transact(() => {
        for (let j = i; j < Math.min(to, i + BUILD_STEP); j++) Y.applyUpdate(writer.doc, updates[j]!, writer.provider);
      }, writer.provider);
      await yieldToLoop();
    }
    writer.doc.getText('t').insert(0, '#');
    markers += 1;
    const markerClock = clockOf(writer.doc, writer.doc.clientID);
    at.applied = at.delivered = at.stored = NaN;
    while (performance.now() < deadline) {
      const now = performance.now() - start;
      if (Number.isNaN(at.applied) && writer.provider.unsyncedChanges === 0) at.applied = now;
      if (Number.isNaN(at.delivered) && group.caughtUp()) at.delivered = now;
      if (impl === 'ours' && Number.isNaN(at.stored) && group.savedClock >= markerClock) at.stored = now;
      if (!Number.isNaN(at.applied) && !Number.isNaN(at.delivered) && (impl === 'stock' || !Number.isNaN(at.stored))) break;
      await sleep(2);
    }
  }
  const w = await close();
  const digested = Math.max(at.applied, at.delivered, impl === 'ours' ? at.stored : 0);
  return {
    case: name,
    impl,
    updates: messages.length,
    sliceSize,
    timedOut: Number.isNaN(digested),
    connectionsClosed: group.closes,
    closeReasons: group.closeReasons,
    sendMs,
    appliedMs: at.applied,
    deliveredMs: at.delivered,
    storedMs: at.stored,
    digestedMs: Number.isNaN(digested) ? BURST_TIMEOUT_MS : digested,
    latencyMs: latencyOf(group.latencies),
    serverCpuMs: w.serverCpuMs,
    cpuMsPerUpdate: w.serverCpuMs / messages.length,
    loadCpuMs: w.loadCpuMs,
    redisBytesPerUpdate: w.publishBytes / messages.length,
    documentName: group.name,
  };
}

/** Typing burst (the long document key by key), deletion burst (the 20k), then the paced stream on the result. */
export async function runKeystrokeHistory(task: KeystrokeHistoryTask): Promise<KeystrokeHistoryResult> {
  const [group] = await openGroups({ name: 'long-history-keystrokes', docs: [{ writerUrl: task.writerUrl, readerUrls: [task.readerUrl] }], seed: 'none' });
  try {
    const source = longSource();
    const chunk = sizes.typingChunkChars;
    const typing = await burst(task.impl, `type ${source.length} chars, ${chunk} per update`, group!, Math.ceil(source.length / chunk), (text, i) => text.insert(i * chunk, source.slice(i * chunk, (i + 1) * chunk)), task.statsUrls, { sliceSize: TYPING_SLICE_UPDATES });
    const random = lcg(42);
    const deletions = await burst(task.impl, `${sizes.longDeletions} single-character deletions`, group!, sizes.longDeletions, (text) => text.delete(Math.floor(random() * (text.length - 1)), 1), task.statsUrls, { profile: task.profile });
    const stream = await pacedStream(task.impl, 'long history (keystroke-seeded)', [group!], { rate: task.rate, durationS: task.durationS, edits: 'insert', statsUrls: task.statsUrls });
    return { typing, burst: deletions, stream };
  } finally {
    group!.close();
    await sleep(200);
  }
}

// npm run bench:sync [-- --duration 4 --quick --impl ours|stock|both]
// Starts two Redis-backed sync nodes (ours, then the stock setup) plus an
// HAProxy hashing on ?doc=, drives Hocuspocus providers from this process
// and prints one table per case with the ratio ours/stock, then writes JSON
// to bench/results/. Latency = writer's insert → reader observes it (same
// process, one clock). CPU and RSS come from the node processes
// (process.cpuUsage over the case); Redis publishes/bytes are counted in the
// node processes. Everything shares the machine's cores with this driver.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { createTestSchema, freePort } from '@copycloud/testing';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE_PROCESS = fileURLToPath(new URL('./node-process.ts', import.meta.url));
/** Real editing traces live in the steering repository's shared/, beside this checkout. */
const TRACE = join(ROOT, '..', 'shared', 'traces', 'sequential-automerge-paper.json.gz');
/** Wait this long after the last edit for stragglers before counting them lost. */
const DRAIN_TIMEOUT_MS = 3_000;
const SYNC_TIMEOUT_MS = 60_000;
const SATURATION_P99_LIMIT_MS = 50;
const SATURATION_RATES = (process.env.BENCH_SATURATION_RATES ?? "200,400,800,1600,3200,6400,12800,25600").split(",").map(Number);
const LONG_DOC_INSERTED_CHARS = 120_000;
const LONG_DOC_DELETIONS = 20_000;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '4' },
    quick: { type: 'boolean', default: false },
    impl: { type: 'string', default: 'both' },
    /** Run only the cases whose name contains this text. */
    only: { type: 'string', default: '' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
const DURATION_S = Number(values.duration);
const impls = values.impl === 'both' ? (['ours', 'stock'] as const) : ([values.impl] as Array<'ours' | 'stock'>);

type Impl = 'ours' | 'stock';
interface NodeStats {
  cpuMs: number;
  rssBytes: number;
  publishes: number;
  publishBytes: number;
}
interface CaseResult {
  case: string;
  impl: Impl;
  edits: number;
  readers: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  lost: number;
  /** Edit deliveries expected (edits × readers of its document). */
  deliveries?: number;
  cpuMsPerDeliveredEdit: number;
  redisPublishesPerEdit: number;
  redisBytesPerEdit: number;
  rssMbPerNode: number[];
  extra?: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


class BenchNode {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static start(env: Record<string, string>): Promise<BenchNode> {
    return new Promise((resolve, reject) => {
      const child = fork(NODE_PROCESS, [], {
        execArgv: ['--import', 'tsx', '--conditions=@copycloud/source', ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [])],
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.once('exit', (code) => reject(new Error(`bench node exited with ${code}`)));
      child.on('message', (message: { ready?: boolean; port?: number }) => {
        if (message.ready) resolve(new BenchNode(child, message.port!));
      });
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/sync`;
  }

  stats(): Promise<NodeStats> {
    return new Promise((resolve) => {
      const onMessage = (message: { stats?: NodeStats }) => {
        if (!message.stats) return;
        this.child.off('message', onMessage);
        resolve(message.stats);
      };
      this.child.on('message', onMessage);
      this.child.send({ cmd: 'stats' });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.removeAllListeners('exit');
      this.child.once('exit', () => resolve());
      // SIGTERM lets the process exit normally (and write a --cpu-prof profile).
      this.child.kill('SIGTERM');
    });
  }
}

/** HAProxy from deploy/haproxy/sync-affinity.cfg with our two nodes (health checks off: the stock node has no /readyz). */
async function startProxy(nodes: BenchNode[], dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const haproxy = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((p) => spawnSync(p, ['-v']).status === 0);
  if (!haproxy) throw new Error('haproxy not installed (apt-get install haproxy, or npm run cluster installs it)');
  const port = await freePort();
  const servers = nodes.map((n, i) => `    server sync-${i + 1} 127.0.0.1:${n.port}`).join('\n');
  const config = readFileSync(join(ROOT, 'deploy/haproxy/sync-affinity.cfg'), 'utf8')
    .replace(/# SERVERS-BEGIN[\s\S]*# SERVERS-END/, servers)
    .replace(/bind :8080/, `bind 127.0.0.1:${port}`)
    .replace(/^\s*(option httpchk|http-check|default-server).*$/gm, '')
    .replace(/^\s*log .*$/gm, '');
  const path = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(path, config);
  const child = spawn(haproxy, ['-db', '-f', path], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/haproxy-health`).catch(() => undefined);
    if (res?.ok) break;
    await sleep(50);
  }
  return {
    url: `ws://127.0.0.1:${port}/sync`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

interface Peer {
  doc: Y.Doc;
  provider: HocuspocusProvider;
}

function connect(url: string, name: string, doc = new Y.Doc()): Peer {
  const provider = new HocuspocusProvider({ url: `${url}?doc=${encodeURIComponent(name)}`, name, document: doc, token: 'bench' });
  return { doc, provider };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(5);
  }
}

/** The writer's clock as a reader knows it (cheap: last struct of that client). */
function clockOf(doc: Y.Doc, client: number): number {
  const structs = (doc.store as unknown as { clients: Map<number, Array<{ id: { clock: number }; length: number }>> }).clients.get(client);
  if (!structs || structs.length === 0) return 0;
  const last = structs[structs.length - 1]!;
  return last.id.clock + last.length;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface StreamSpec {
  name: string;
  docs: Array<{ writerUrl: string; readerUrls: string[] }>;
  /** Total edits per second over all documents. */
  rate: number;
  durationS: number;
  preload?: Uint8Array;
}

async function runStream(impl: Impl, nodes: BenchNode[], spec: StreamSpec): Promise<CaseResult> {
  const tag = randomBytes(3).toString('hex');
  const groups = spec.docs.map((d, i) => {
    const name = `${spec.name.replace(/[^a-z0-9]/gi, '-')}-${i}-${tag}`;
    const writerDoc = new Y.Doc();
    if (spec.preload) Y.applyUpdate(writerDoc, spec.preload);
    const writer = connect(d.writerUrl, name, writerDoc);
    const readers = d.readerUrls.map((url) => connect(url, name));
    return { name, writer, readers, sent: new Map<number, number>(), lastSeen: readers.map(() => 0) };
  });
  const latencies: number[] = [];
  try {
    await until(() => groups.every((g) => g.writer.provider.isSynced && g.readers.every((r) => r.provider.isSynced)), SYNC_TIMEOUT_MS, `${spec.name}: providers synced`);
    // Readers hold the writer's whole state before the clock starts.
    await until(
      () => groups.every((g) => g.readers.every((r) => clockOf(r.doc, g.writer.doc.clientID) === clockOf(g.writer.doc, g.writer.doc.clientID) && r.doc.getText('t').length === g.writer.doc.getText('t').length)),
      SYNC_TIMEOUT_MS,
      `${spec.name}: readers caught up`,
    );
    for (const g of groups) {
      g.readers.forEach((reader, index) => {
        g.lastSeen[index] = clockOf(reader.doc, g.writer.doc.clientID);
        reader.doc.on('update', () => {
          const now = performance.now();
          const clock = clockOf(reader.doc, g.writer.doc.clientID);
          for (let c = g.lastSeen[index]!; c < clock; c++) {
            const t0 = g.sent.get(c);
            if (t0 !== undefined) latencies.push(now - t0);
          }
          g.lastSeen[index] = Math.max(g.lastSeen[index]!, clock);
        });
      });
    }
    const before = await Promise.all(nodes.map((n) => n.stats()));
    const intervalMs = 1000 / spec.rate;
    const start = performance.now();
    const end = start + spec.durationS * 1000;
    let edits = 0;
    while (performance.now() < end) {
      const due = Math.floor((performance.now() - start) / intervalMs) + 1;
      while (edits < due) {
        const g = groups[edits % groups.length]!;
        const text = g.writer.doc.getText('t');
        const clock = clockOf(g.writer.doc, g.writer.doc.clientID);
        g.sent.set(clock, performance.now());
        text.insert((edits * 7919) % (text.length + 1), 'x');
        edits += 1;
      }
      await sleep(Math.max(0, start + edits * intervalMs - performance.now()));
    }
    const expected = edits * groups[0]!.readers.length;
    const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
    while (latencies.length < expected && performance.now() < drainDeadline) await sleep(5);
    const after = await Promise.all(nodes.map((n) => n.stats()));
    const delivered = latencies.length;
    const sum = (f: (s: NodeStats) => number) => after.reduce((t, s, i) => t + f(s) - f(before[i]!), 0);
    latencies.sort((a, b) => a - b);
    return {
      case: spec.name,
      impl,
      edits,
      readers: groups.reduce((t, g) => t + g.readers.length, 0),
      latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN },
      lost: Math.max(0, expected - delivered),
      deliveries: expected,
      cpuMsPerDeliveredEdit: sum((s) => s.cpuMs) / Math.max(1, delivered),
      redisPublishesPerEdit: sum((s) => s.publishes) / Math.max(1, edits),
      redisBytesPerEdit: sum((s) => s.publishBytes) / Math.max(1, edits),
      rssMbPerNode: after.map((s) => s.rssBytes / 1048576),
    };
  } finally {
    for (const g of groups) {
      g.writer.provider.destroy();
      for (const r of g.readers) r.provider.destroy();
    }
    await sleep(200);
  }
}

async function idleConnections(impl: Impl, nodes: BenchNode[], connections: number, docs: number): Promise<CaseResult> {
  const before = await Promise.all(nodes.map((n) => n.stats()));
  const tag = randomBytes(3).toString('hex');
  const peers: Peer[] = [];
  for (let i = 0; i < connections; i++) peers.push(connect(nodes[i % nodes.length]!.url, `idle-${i % docs}-${tag}`));
  try {
    await until(() => peers.every((p) => p.provider.isSynced), SYNC_TIMEOUT_MS * 2, 'idle connections synced');
    await sleep(1000);
    const after = await Promise.all(nodes.map((n) => n.stats()));
    const rssDelta = after.reduce((t, s, i) => t + s.rssBytes - before[i]!.rssBytes, 0);
    return {
      case: `${connections} idle connections on ${docs} docs`,
      impl,
      edits: 0,
      readers: connections,
      latencyMs: { p50: NaN, p95: NaN, p99: NaN, max: NaN },
      lost: 0,
      cpuMsPerDeliveredEdit: NaN,
      redisPublishesPerEdit: NaN,
      redisBytesPerEdit: NaN,
      rssMbPerNode: after.map((s) => s.rssBytes / 1048576),
      extra: { rssKbPerConnection: rssDelta / 1024 / connections, redisPublishesWhileIdle: after.reduce((t, s, i) => t + s.publishes - before[i]!.publishes, 0) },
    };
  } finally {
    for (const p of peers) p.provider.destroy();
    // Let the nodes finish 2,000 disconnects and document unloads before the next case.
    await sleep(3000);
  }
}

/** 100k characters left after 120k typed in chunks and 20k scattered single-character deletions. */
function buildLongHistoryDocument(): Uint8Array {
  const trace = JSON.parse(gunzipSync(readFileSync(TRACE)).toString('utf8')) as { endContent: string };
  let source = trace.endContent;
  while (source.length < LONG_DOC_INSERTED_CHARS) source += trace.endContent;
  source = source.slice(0, LONG_DOC_INSERTED_CHARS);
  const doc = new Y.Doc();
  const text = doc.getText('t');
  for (let i = 0; i < source.length; i += 40) text.insert(i, source.slice(i, i + 40));
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < LONG_DOC_DELETIONS; i++) text.delete(Math.floor(random() * (text.length - 1)), 1);
  return Y.encodeStateAsUpdate(doc);
}

async function benchImpl(impl: Impl, env: Record<string, string>, dir: string, longDoc: Uint8Array): Promise<CaseResult[]> {
  const prefix = `bench-${impl}-${randomBytes(3).toString('hex')}`;
  const nodes = [
    await BenchNode.start({ ...env, BENCH_IMPL: impl, REDIS_PREFIX: prefix, NODE_ID: `${impl}-a` }),
    await BenchNode.start({ ...env, BENCH_IMPL: impl, REDIS_PREFIX: prefix, NODE_ID: `${impl}-b` }),
  ];
  const proxy = await startProxy(nodes, dir);
  const [a, b] = [nodes[0]!.url, nodes[1]!.url];
  const results: CaseResult[] = [];
  const wanted = (name: string) => !values.only || name.includes(values.only);
  const run = async (spec: StreamSpec) => {
    if (!wanted(spec.name)) return;
    const result = await runStream(impl, nodes, spec);
    results.push(result);
    console.error(`  ${impl} ${spec.name}: p50 ${result.latencyMs.p50.toFixed(2)} p99 ${result.latencyMs.p99.toFixed(2)} ms, lost ${result.lost}`);
    return result;
  };
  try {
    // Warm-up: JIT, connections, Redis clients.
    await runStream(impl, nodes, { name: 'warmup', docs: [{ writerUrl: a, readerUrls: [b] }], rate: 200, durationS: 1 });
    for (const rate of [20, 200]) {
      await run({ name: `same node @${rate}/s`, docs: [{ writerUrl: a, readerUrls: [a] }], rate, durationS: DURATION_S });
      await run({ name: `cross-node @${rate}/s`, docs: [{ writerUrl: a, readerUrls: [b] }], rate, durationS: DURATION_S });
      await run({ name: `through proxy (affinity) @${rate}/s`, docs: [{ writerUrl: proxy.url, readerUrls: [proxy.url] }], rate, durationS: DURATION_S });
    }
    await run({ name: 'long history, cross-node @20/s', docs: [{ writerUrl: a, readerUrls: [b] }], rate: 20, durationS: DURATION_S, preload: longDoc });
    for (const readers of values.quick ? [100] : [100, 500]) {
      await run({ name: `fan-out 1→${readers} readers on the other node @20/s`, docs: [{ writerUrl: a, readerUrls: Array.from({ length: readers }, () => b) }], rate: 20, durationS: DURATION_S });
    }
    await run({
      name: '200 docs × 2 clients across nodes @200/s total',
      docs: Array.from({ length: 200 }, () => ({ writerUrl: a, readerUrls: [b] })),
      rate: 200,
      durationS: DURATION_S,
    });
    if (!wanted('idle') && !wanted('saturation')) return results;
    const idle = await idleConnections(impl, nodes, values.quick ? 500 : 2000, 200);
    results.push(idle);
    console.error(`  ${impl} ${idle.case}: ${idle.extra!.rssKbPerConnection!.toFixed(1)} KB RSS per connection`);
    // Saturation: raise the cross-node rate until p99 passes the limit or edits get lost.
    let sustained = 0;
    for (const rate of SATURATION_RATES) {
      // A step passes if one of two tries does: other load on a shared machine causes lone spikes.
      let passed = false;
      for (let attempt = 0; attempt < 2 && !passed; attempt++) {
        const step = await runStream(impl, nodes, { name: `saturation @${rate}/s`, docs: [{ writerUrl: a, readerUrls: [b] }], rate, durationS: Math.min(DURATION_S, 3) });
        console.error(`  ${impl} saturation @${rate}/s: p99 ${step.latencyMs.p99.toFixed(2)} ms, lost ${step.lost}, achieved ${step.edits / Math.min(DURATION_S, 3)}/s`);
        passed = step.latencyMs.p99 <= SATURATION_P99_LIMIT_MS && step.lost === 0;
      }
      if (!passed) break;
      sustained = rate;
    }
    results.push({
      case: `saturation (cross-node rate with p99 ≤ ${SATURATION_P99_LIMIT_MS} ms)`,
      impl,
      edits: 0,
      readers: 1,
      latencyMs: { p50: NaN, p95: NaN, p99: NaN, max: NaN },
      lost: 0,
      cpuMsPerDeliveredEdit: NaN,
      redisPublishesPerEdit: NaN,
      redisBytesPerEdit: NaN,
      rssMbPerNode: [],
      extra: { editsPerSecond: sustained },
    });
  } finally {
    await proxy.stop();
    for (const n of nodes) await n.stop();
  }
  return results;
}

function fmt(n: number | undefined, digits = 2): string {
  if (n === undefined || Number.isNaN(n)) return '—';
  if (Math.abs(n) >= 1000) return n.toFixed(0);
  return n.toFixed(digits);
}

function ratio(ours: number | undefined, stock: number | undefined): string {
  if (ours === undefined || stock === undefined || Number.isNaN(ours) || Number.isNaN(stock) || stock === 0) return '—';
  return `${(ours / stock).toFixed(2)}×`;
}

function printTable(results: CaseResult[]): void {
  const cases = [...new Set(results.map((r) => r.case))];
  const header = ['case', 'impl', 'p50', 'p95', 'p99', 'max', 'lost', 'cpu-ms/edit', 'pubs/edit', 'bytes/edit', 'RSS MB/node', 'extra'];
  const rows: string[][] = [header];
  for (const name of cases) {
    const ours = results.find((r) => r.case === name && r.impl === 'ours');
    const stock = results.find((r) => r.case === name && r.impl === 'stock');
    for (const r of [ours, stock]) {
      if (!r) continue;
      rows.push([
        name,
        r.impl,
        fmt(r.latencyMs.p50),
        fmt(r.latencyMs.p95),
        fmt(r.latencyMs.p99),
        fmt(r.latencyMs.max),
        r.deliveries ? `${r.lost}/${r.deliveries}` : '—',
        fmt(r.cpuMsPerDeliveredEdit, 3),
        fmt(r.redisPublishesPerEdit),
        fmt(r.redisBytesPerEdit, 0),
        r.rssMbPerNode.map((m) => m.toFixed(0)).join('/') || '—',
        Object.entries(r.extra ?? {}).map(([k, v]) => `${k}=${fmt(v, 1)}`).join(' '),
      ]);
    }
    if (ours && stock) {
      const extraKeys = Object.keys(ours.extra ?? {});
      rows.push([
        name,
        'ours/stock',
        ratio(ours.latencyMs.p50, stock.latencyMs.p50),
        ratio(ours.latencyMs.p95, stock.latencyMs.p95),
        ratio(ours.latencyMs.p99, stock.latencyMs.p99),
        ratio(ours.latencyMs.max, stock.latencyMs.max),
        '',
        ratio(ours.cpuMsPerDeliveredEdit, stock.cpuMsPerDeliveredEdit),
        ratio(ours.redisPublishesPerEdit, stock.redisPublishesPerEdit),
        ratio(ours.redisBytesPerEdit, stock.redisBytesPerEdit),
        ours.rssMbPerNode.length ? ratio(ours.rssMbPerNode.reduce((a, b) => a + b, 0), stock.rssMbPerNode.reduce((a, b) => a + b, 0)) : '—',
        extraKeys.map((k) => `${k} ${ratio(ours.extra![k], stock.extra?.[k])}`).join(' '),
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, i) => (cell ?? '').padEnd(widths[i]!)).join('  ').trimEnd());
}

const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
const schema = await createTestSchema('benchsync');
try {
  console.error(`bench:sync — ${cpus().length} cores, ${DURATION_S}s per case${values.quick ? ' (quick)' : ''}; building the long-history document…`);
  const longDoc = buildLongHistoryDocument();
  const env = { REDIS_URL: values['redis-url'], DATABASE_URL: schema.url };
  const results: CaseResult[] = [];
  for (const impl of impls) {
    console.error(`${impl}:`);
    results.push(...(await benchImpl(impl, env, dir, longDoc)));
  }
  printTable(results);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `sync-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ machine: { cores: cpus().length, model: cpus()[0]?.model }, durationS: DURATION_S, quick: values.quick, longDocBytes: longDoc.byteLength, results }, null, 2));
  console.log(`\nJSON: ${file}`);
} finally {
  await schema.drop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

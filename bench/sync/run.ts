// npm run bench:sync [-- --quick] [--impl ours|stock|both] [--only fresh,trace,…] [--clone|--no-clone] [--no-profile]
//
// Every figure of issue 16 in one run, ours against stock measured side by
// side: two sync nodes per setup on one Redis (ours: Hocuspocus v4 + our Redis
// fan-out + the Postgres update log, durability on; stock: Hocuspocus Server +
// @hocuspocus/extension-redis, no storage), the clients in a load-generator
// process of their own (load-process.ts, its CPU reported apart), the nodes'
// CPU read from the node processes. Writes bench/results/sync-<time>.json and
// prints one table of goals (ours / stock / ratio). See bench/README.md.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createTestSchema } from '@copycloud/testing';
import { summariseProfile, type ProfileSummary } from './profile.js';
import { measureCloneStart, measureNodeStart, type CloneStartResult, type NodeStartResult } from './start.js';
import type { BurstResult, Impl, KeystrokeHistoryResult, LoadTask, Profile, StreamResult, StreamTask } from './types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE_PROCESS = fileURLToPath(new URL('./node-process.ts', import.meta.url));
const LOAD_PROCESS = fileURLToPath(new URL('./load-process.ts', import.meta.url));
/** Real editing traces (josephg/editing-traces) live in shared/ beside the checkout. */
const TRACES_DIR = join(ROOT, '..', 'shared', 'traces');
const TS_EXEC_ARGV = ['--import', 'tsx', '--conditions=@copycloud/source'];

const SATURATION_P99_LIMIT_MS = 50;
/** A saturation step counts only if the generator really sent this share of the target rate. */
const SATURATION_MIN_ACHIEVED = 0.95;
/** Documents in the saturation steps; writers alternate between the nodes, each reader on the other one. */
const SATURATION_DOCS = 8;
const CASES = ['fresh', 'trace', 'long-merged', 'long-keystrokes', 'fanout', 'saturation', 'start', 'clone'] as const;
type CaseName = (typeof CASES)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    impl: { type: 'string', default: 'both' },
    /** Comma-separated case names (see CASES); default all. */
    only: { type: 'string', default: '' },
    clone: { type: 'boolean' },
    'no-clone': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
const quick = values.quick;
const plan = {
  durationS: quick ? 4 : 10,
  /** Paced latency cases: the issue's 50 edits/s from one writer. */
  rate: 50,
  fanoutReaders: 500,
  fanoutRate: 20,
  fanoutDurationS: quick ? 3 : 10,
  saturationRates: quick ? [50, 100, 200, 400, 800, 1600, 3200, 6400] : [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600],
  saturationStepS: quick ? 2 : 4,
  saturationTries: quick ? 1 : 2,
  startRuns: quick ? 2 : 5,
};
const impls: Impl[] = values.impl === 'both' ? ['ours', 'stock'] : [values.impl as Impl];
const only = new Set(values.only ? values.only.split(',') : CASES);
for (const name of only) if (!CASES.includes(name as CaseName)) throw new Error(`--only: unknown case ${name} (cases: ${CASES.join(', ')})`);
const wanted = (name: CaseName) => only.has(name) && (name !== 'clone' || (values.clone ?? (!quick && !values['no-clone'])));
const profiling = !values['no-profile'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string) => console.error(text);

class BenchNode {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly statsPort: number,
  ) {}

  static start(env: Record<string, string>): Promise<BenchNode> {
    return new Promise((resolve, reject) => {
      const child = fork(NODE_PROCESS, [], {
        execArgv: [...TS_EXEC_ARGV, ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [])],
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.once('exit', (code) => reject(new Error(`bench node exited with ${code}`)));
      child.on('message', (message: { ready?: boolean; port?: number; statsPort?: number }) => {
        if (message.ready) resolve(new BenchNode(child, message.port!, message.statsPort!));
      });
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/sync`;
  }

  get statsBase(): string {
    return `http://127.0.0.1:${this.statsPort}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.removeAllListeners('exit');
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/** The load generator: one process for the whole run, one task at a time. */
class LoadGenerator {
  private nextId = 0;
  private constructor(private readonly child: ChildProcess) {}

  static start(): Promise<LoadGenerator> {
    return new Promise((resolve, reject) => {
      const child = fork(LOAD_PROCESS, [], { execArgv: TS_EXEC_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
      child.once('message', () => resolve(new LoadGenerator(child)));
    });
  }

  run<T>(task: LoadTask): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (message: { id: number; result?: T; error?: string }) => {
        if (message.id !== id) return;
        this.child.off('message', onMessage);
        if (message.error) reject(new Error(`load generator: ${message.error}`));
        else resolve(message.result as T);
      };
      this.child.on('message', onMessage);
      this.child.send({ id, task });
    });
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.disconnect();
  }
}

interface SaturationStep {
  rate: number;
  try: number;
  p99: number;
  achievedRate: number;
  lost: number;
  serverCpuMs: number;
  loadCpuMs: number;
  windowMs: number;
  passed: boolean;
}
interface ImplResults {
  streams: StreamResult[];
  bursts: BurstResult[];
  saturation?: { editsPerSecond: number; steps: SaturationStep[] };
  profiles: Record<string, ProfileSummary>;
  burstRowsInPostgres?: number;
}

async function benchImpl(impl: Impl, load: LoadGenerator, databaseUrl: string, profileDir: string): Promise<ImplResults> {
  const prefix = `bench-${impl}-${randomBytes(3).toString('hex')}`;
  const env = { REDIS_URL: values['redis-url']!, DATABASE_URL: databaseUrl, BENCH_IMPL: impl, REDIS_PREFIX: prefix };
  const nodes = [await BenchNode.start({ ...env, NODE_ID: `${impl}-a` }), await BenchNode.start({ ...env, NODE_ID: `${impl}-b` })];
  const [a, b] = nodes as [BenchNode, BenchNode];
  const statsUrls = nodes.map((n) => `${n.statsBase}/stats`);
  const out: ImplResults = { streams: [], bursts: [], profiles: {} };
  const profileOf = (name: string): Profile | undefined => (profiling ? { nodeUrl: a.statsBase, file: join(profileDir, `${impl}-${name}.cpuprofile`) } : undefined);
  const summarise = (name: string, profile: Profile | undefined) => {
    if (!profile) return;
    out.profiles[name] = summariseProfile(profile.file);
  };
  const stream = async (name: string, spec: Omit<StreamTask, 'kind' | 'name' | 'impl' | 'statsUrls'>) => {
    const result = await load.run<StreamResult>({ kind: 'stream', name, impl, statsUrls, ...spec });
    log(`  ${impl} ${name}: p50 ${fmt(result.latencyMs.p50)} p99 ${fmt(result.latencyMs.p99)} ms, ${fmt(result.cpuMsPerDeliveredEdit, 3)} server CPU-ms/edit, lost ${result.deliveries - result.delivered}/${result.deliveries}, ${result.connectionsClosed} connections closed, generator ${fmt(result.loadCpuMs, 0)} CPU-ms`);
    return result;
  };
  const crossNode = [{ writerUrl: a.url, readerUrls: [b.url] }];
  try {
    await stream('warmup', { docs: crossNode, rate: 200, durationS: 1, seed: 'none', edits: 'insert' });
    if (wanted('fresh')) {
      const profile = profileOf('fresh');
      out.streams.push(await stream('fresh', { docs: crossNode, rate: plan.rate, durationS: plan.durationS, seed: 'none', edits: 'insert', ...(profile ? { profile } : {}) }));
      summarise('fresh', profile);
    }
    if (wanted('trace')) out.streams.push(await stream('trace', { docs: crossNode, rate: plan.rate, durationS: plan.durationS, seed: 'trace', edits: 'trace' }));
    if (wanted('long-merged')) out.streams.push(await stream('long-merged', { docs: crossNode, rate: plan.rate, durationS: plan.durationS, seed: 'long-merged', edits: 'insert' }));
    if (wanted('long-keystrokes')) {
      const profile = profileOf('long-burst');
      const r = await load.run<KeystrokeHistoryResult>({ kind: 'keystroke-history', impl, writerUrl: a.url, readerUrl: b.url, statsUrls, rate: plan.rate, durationS: plan.durationS, ...(profile ? { profile } : {}) });
      summarise('long-burst', profile);
      r.typing.case = 'typing';
      r.burst.case = 'burst';
      r.stream.case = 'long-keystrokes';
      out.bursts.push(r.typing, r.burst);
      out.streams.push(r.stream);
      for (const x of [r.typing, r.burst]) log(`  ${impl} ${x.case} (${x.updates} updates): sent ${fmt(x.sendMs, 0)} applied ${fmt(x.appliedMs, 0)} delivered ${fmt(x.deliveredMs, 0)} stored ${fmt(x.storedMs, 0)} → digested ${fmt(x.digestedMs, 0)} ms; ${x.connectionsClosed} connections closed${x.closeReasons.length ? ` (${[...new Set(x.closeReasons)].join('; ')})` : ''}`);
      log(`  ${impl} long-keystrokes: p50 ${fmt(r.stream.latencyMs.p50)} p99 ${fmt(r.stream.latencyMs.p99)} ms`);
      if (impl === 'ours') out.burstRowsInPostgres = await countRows(databaseUrl, r.burst.documentName);
    }
    if (wanted('fanout')) {
      out.streams.push(await stream('fanout', { docs: [{ writerUrl: a.url, readerUrls: Array.from({ length: plan.fanoutReaders }, () => b.url) }], rate: plan.fanoutRate, durationS: plan.fanoutDurationS, seed: 'none', edits: 'insert' }));
      await sleep(2000); // 500 disconnects and unloads settle before the next case
    }
    if (wanted('saturation')) out.saturation = await saturation(impl, load, nodes, statsUrls);
  } finally {
    for (const n of nodes) await n.stop();
  }
  return out;
}

/** Raises the rate (doubling, then one step between the last pass and the first failure) until p99 passes the limit. */
async function saturation(impl: Impl, load: LoadGenerator, nodes: BenchNode[], statsUrls: string[]): Promise<{ editsPerSecond: number; steps: SaturationStep[] }> {
  const docs = Array.from({ length: SATURATION_DOCS }, (_, i) => ({ writerUrl: nodes[i % 2]!.url, readerUrls: [nodes[(i + 1) % 2]!.url] }));
  const steps: SaturationStep[] = [];
  const attempt = async (rate: number): Promise<boolean> => {
    for (let t = 1; t <= plan.saturationTries; t++) {
      const r = await load.run<StreamResult>({ kind: 'stream', name: `saturation-${rate}`, impl, statsUrls, docs, rate, durationS: plan.saturationStepS, seed: 'none', edits: 'insert' });
      const lost = r.deliveries - r.delivered;
      const passed = r.latencyMs.p99 <= SATURATION_P99_LIMIT_MS && lost === 0 && r.achievedRate >= SATURATION_MIN_ACHIEVED * rate;
      steps.push({ rate, try: t, p99: r.latencyMs.p99, achievedRate: r.achievedRate, lost, serverCpuMs: r.serverCpuMs, loadCpuMs: r.loadCpuMs, windowMs: r.windowMs, passed });
      log(`  ${impl} saturation @${rate}/s: p99 ${fmt(r.latencyMs.p99)} ms, achieved ${fmt(r.achievedRate, 0)}/s, lost ${lost}, servers ${fmt((100 * r.serverCpuMs) / r.windowMs, 0)}% CPU, generator ${fmt((100 * r.loadCpuMs) / r.windowMs, 0)}% → ${passed ? 'pass' : 'fail'}`);
      if (passed) return true;
    }
    return false;
  };
  let sustained = 0;
  let failedAt: number | undefined;
  for (const rate of plan.saturationRates) {
    if (!(await attempt(rate))) {
      failedAt = rate;
      break;
    }
    sustained = rate;
  }
  if (failedAt !== undefined && sustained > 0) {
    const middle = Math.round(Math.sqrt(sustained * failedAt));
    if (await attempt(middle)) sustained = middle;
  }
  return { editsPerSecond: sustained, steps };
}

async function countRows(databaseUrl: string, documentName: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM document_updates WHERE document_id = $1', [documentName]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

function fmt(n: number | null | undefined, digits = 2): string {
  if (n === undefined || n === null || Number.isNaN(n)) return '—';
  if (Math.abs(n) >= 1000) return n.toFixed(0);
  return n.toFixed(digits);
}

interface Goal {
  figure: string;
  ours: number;
  stock: number;
  unit: string;
  /** ours / stock (or ours / goal where stock has no counterpart). */
  ratio: number;
  goal: string;
  met: boolean | null;
}

function goals(results: Partial<Record<Impl, ImplResults>>, start: NodeStartResult | undefined, clone: CloneStartResult | undefined): Goal[] {
  const out: Goal[] = [];
  const s = (impl: Impl, name: string) => results[impl]?.streams.find((r) => r.case === name);
  const add = (figure: string, ours: number | undefined, stock: number | undefined, unit: string, goal: string, test: (ratio: number, ours: number) => boolean) => {
    if (ours === undefined && stock === undefined) return;
    const o = ours ?? NaN;
    const st = stock ?? NaN;
    const ratio = o / st;
    out.push({ figure, ours: o, stock: st, unit, ratio, goal, met: Number.isNaN(ratio) && !goal.includes('ours') ? null : test(ratio, o) });
  };
  for (const [name, label] of [['fresh', 'fresh document'], ['trace', 'real trace (automerge-paper)']] as const) {
    add(`server CPU per delivered edit, ${label}`, s('ours', name)?.cpuMsPerDeliveredEdit, s('stock', name)?.cpuMsPerDeliveredEdit, 'CPU-ms', '≤ 0.5×', (r) => r <= 0.5);
  }
  for (const [name, label, limit] of [
    ['fresh', 'fresh document', 0.5],
    ['trace', 'real trace', 0.5],
    ['long-merged', 'long history, seeded pre-merged', 0.25],
    ['long-keystrokes', 'long history, seeded key by key', 0.25],
    ['fanout', `fan-out 1 → ${plan.fanoutReaders} readers`, 0.5],
  ] as const) {
    add(`p50 ${label}`, s('ours', name)?.latencyMs.p50, s('stock', name)?.latencyMs.p50, 'ms', '—', () => true);
    add(`p99 ${label}`, s('ours', name)?.latencyMs.p99, s('stock', name)?.latencyMs.p99, 'ms', `≤ ${limit}×`, (r) => r <= limit);
  }
  const burst = (impl: Impl) => results[impl]?.bursts.find((b) => b.case === 'burst');
  const timedOut = impls.filter((impl) => burst(impl)?.timedOut);
  add(`burst of single-key deletions digested (stored, published, acked)${timedOut.length ? ` — ${timedOut.join(', ')} timed out: a lower bound` : ''}`, burst('ours')?.digestedMs, burst('stock')?.digestedMs, 'ms', '≤ 0.33× (3× faster)', (r) => r <= 1 / 3);
  add('  of which: applied by the writer’s node', burst('ours')?.appliedMs, burst('stock')?.appliedMs, 'ms', '—', () => true);
  add('  of which: delivered to the reader', burst('ours')?.deliveredMs, burst('stock')?.deliveredMs, 'ms', '—', () => true);
  add('  of which: stored (ours: saved ack)', burst('ours')?.storedMs, burst('stock')?.storedMs, 'ms', '—', () => true);
  add('server CPU per burst update', burst('ours')?.cpuMsPerUpdate, burst('stock')?.cpuMsPerUpdate, 'CPU-ms', '—', () => true);
  add(`saturation: edits/s at p99 ≤ ${SATURATION_P99_LIMIT_MS} ms, two nodes`, results.ours?.saturation?.editsPerSecond, results.stock?.saturation?.editsPerSecond, 'edits/s', '≥ 2×', (r) => r >= 2);
  add('Redis bytes per edit, long history (pre-merged)', s('ours', 'long-merged')?.redisBytesPerEdit, s('stock', 'long-merged')?.redisBytesPerEdit, 'B', '—', () => true);
  add('Redis bytes per edit, long history (key by key)', s('ours', 'long-keystrokes')?.redisBytesPerEdit, s('stock', 'long-keystrokes')?.redisBytesPerEdit, 'B', '—', () => true);
  add('Redis bytes per update, burst', burst('ours')?.redisBytesPerUpdate, burst('stock')?.redisBytesPerUpdate, 'B', '—', () => true);
  if (start) {
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    add('node start to /readyz, Postgres, from dist (median)', median(start.ours.postgres.map((x) => x.readyMs)), median(start.stock.map((x) => x.readyMs)), 'ms', 'ours ≤ 2000 ms', (_, o) => o <= 2000);
    add('node start CPU, Postgres, from dist (median)', median(start.ours.postgres.map((x) => x.cpuS)), median(start.stock.map((x) => x.cpuS)), 'CPU-s', 'ours ≤ 1 CPU-s', (_, o) => o <= 1);
    add('node start to /readyz, PGlite (reference)', start.ours.pglite.readyMs, undefined, 'ms', '—', () => true);
    add('node start CPU, PGlite (reference)', start.ours.pglite.cpuS, undefined, 'CPU-s', '—', () => true);
  }
  if (clone) {
    add('first npm start on a fresh clone (build included)', clone.first.readyMs, undefined, 'ms', 'ours ≤ 45000 ms', (_, o) => o <= 45_000);
    add('second npm start', clone.second.readyMs, undefined, 'ms', 'ours ≤ 3000 ms', (_, o) => o <= 3_000);
  }
  return out;
}

function printGoals(rows: Goal[]): void {
  const table = [['figure', 'ours', 'stock', 'unit', 'ours/stock', 'goal', 'met'], ...rows.map((g) => [g.figure, fmt(g.ours), fmt(g.stock), g.unit, Number.isNaN(g.ratio) ? '—' : `${g.ratio.toFixed(g.ratio < 0.01 ? 4 : 2)}×`, g.goal, g.met === null ? '' : g.met ? 'yes' : 'NO'])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

function printProfiles(results: Partial<Record<Impl, ImplResults>>): void {
  for (const impl of impls) {
    for (const [name, p] of Object.entries(results[impl]?.profiles ?? {})) {
      console.log(`\nprofile, ${impl} writer's node, ${name}: ${fmt(p.busyMs, 0)} ms busy of ${fmt(p.wallMs, 0)} ms`);
      for (const a of p.areas.slice(0, 12)) console.log(`  ${a.area.padEnd(48)} ${fmt(a.ms, 0).padStart(7)} ms  ${a.pct.toFixed(1).padStart(5)} %`);
    }
  }
}

const profileDir = mkdtempSync(join(tmpdir(), 'bench-sync-profiles-'));
const schema = await createTestSchema('benchsync');
const load = await LoadGenerator.start();
const startedAt = new Date();
try {
  log(`bench:sync — ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}${quick ? ' (quick)' : ''}; cases: ${[...only].filter((c) => wanted(c as CaseName)).join(', ')}`);
  const sizes = await load.run({ kind: 'configure', quick, tracesDir: TRACES_DIR });
  const results: Partial<Record<Impl, ImplResults>> = {};
  for (const impl of impls) {
    log(`${impl}:`);
    results[impl] = await benchImpl(impl, load, schema.url, profileDir);
  }
  let start: NodeStartResult | undefined;
  if (wanted('start')) {
    log('node start…');
    // A schema of its own: the first start migrates an empty database, as a new deployment's first pod does.
    const startSchema = await createTestSchema('benchstart');
    try {
      start = await measureNodeStart(ROOT, { databaseUrl: startSchema.url, redisUrl: values['redis-url']! }, plan.startRuns);
    } finally {
      await startSchema.drop();
    }
    log(`  ours (Postgres): ${start.ours.postgres.map((x) => `${fmt(x.readyMs, 0)} ms/${fmt(x.cpuS)} CPU-s`).join(', ')}; PGlite ${fmt(start.ours.pglite.readyMs, 0)} ms/${fmt(start.ours.pglite.cpuS)} CPU-s; stock ${start.stock.map((x) => `${fmt(x.readyMs, 0)} ms/${fmt(x.cpuS)} CPU-s`).join(', ')}`);
  }
  let clone: CloneStartResult | undefined;
  if (wanted('clone')) {
    log('npm start on a fresh clone (git clone, npm ci, npm start twice)…');
    clone = await measureCloneStart(ROOT);
    log(`  clone ${fmt(clone.cloneMs, 0)} ms, npm ci ${fmt(clone.npmCiMs, 0)} ms, first start ${fmt(clone.first.readyMs, 0)} ms (${fmt(clone.first.cpuS)} CPU-s), second ${fmt(clone.second.readyMs, 0)} ms (${fmt(clone.second.cpuS)} CPU-s)`);
  }
  const table = goals(results, start, clone);
  console.log('');
  printGoals(table);
  printProfiles(results);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `sync-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { machine: { cores: cpus().length, model: cpus()[0]?.model, loadAverageAtEnd: loadavg() }, startedAt, quick, plan, sizes, tracesDir: TRACES_DIR, goals: table, results, start, clone, profileDir: profiling ? profileDir : undefined },
      (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      2,
    ),
  );
  console.log(`\nJSON: ${file}${profiling ? `\nprofiles (.cpuprofile, open in Chrome DevTools): ${profileDir}` : ''}`);
} finally {
  load.stop();
  await schema.drop();
}
process.exit(0);

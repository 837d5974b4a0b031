// Summarises a V8 .cpuprofile (node --cpu-prof) by area: self time of every
// sampled frame, where a frame of Node itself or native code (socket writes,
// timers, Buffer) counts for the nearest caller that belongs to a known area,
// so a write syscall made by pg counts as Postgres and one made by ws as
// WebSocket. Areas follow the questions the optimisation asks.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  wallMs: number;
  busyMs: number;
  idleMs: number;
  /** The bench's own code in the node (stats endpoint, stopping the profiler): left out of busy and of the areas. */
  benchMs: number;
  areas: Array<{ area: string; ms: number; pct: number }>;
  top: Array<{ fn: string; where: string; area: string; ms: number; pct: number }>;
  /** Inclusive time (with callees) of our own functions (sync-server/src, packages/): which of our paths the busy time runs under. */
  ourPaths: Array<{ fn: string; where: string; ms: number; pct: number }>;
}

const OUR_CODE = /\/(sync-server\/src|packages\/[a-z-]+\/src)\//;

const BENCH = 'bench instrumentation';
const AREAS: Array<[string, RegExp]> = [
  ['our validation', /packages\/update-validation\/|sync-server\/src\/extensions\/update-validation|sync-server\/src\/transport\/frame-guard/],
  ['Postgres', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-[a-z]+)\/|packages\/db\//],
  [BENCH, /bench\/sync\/node-process/],
  ['Redis', /node_modules\/(ioredis|redis-parser|redis-errors|denque|cluster-key-slot|standard-as-callback|@hocuspocus\/extension-redis|@sesamecare-oss\/redlock|redlock)\/|sync-server\/src\/cluster\//],
  ['WebSocket', /node_modules\/(ws|crossws)\/|sync-server\/src\/transport\//],
  ['Yjs', /node_modules\/(yjs|lib0|y-protocols)\//],
  ['Hocuspocus', /node_modules\/(@hocuspocus\/(server|common)|async-mutex)\//],
  ['metrics (prom-client)', /node_modules\/prom-client\/|sync-server\/src\/(metrics|extensions\/metrics-extension)/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|thread-stream)/],
  ['HTTP (hono, stats)', /node_modules\/(hono|@hono)\/|packages\/(http|observability)\//],
  ['our sync node (persistence, acks, lifecycle)', /sync-server\/src\//],
  ['tsx loader', /node_modules\/(tsx|esbuild|get-tsconfig)\//],
];
const RUNTIME = 'Node.js runtime (event loop, timers, streams)';

function areaOfUrl(url: string): string | undefined {
  if (!url || url.startsWith('node:')) return undefined;
  for (const [area, pattern] of AREAS) if (pattern.test(url)) return area;
  return 'other JavaScript';
}

function shortUrl(url: string): string {
  const m = /node_modules\/(.*)$/.exec(url) ?? /\/work\/[^/]+\/(.*)$/.exec(url);
  return m ? m[1]! : url || '(native)';
}

export function summariseProfile(file: string, topN = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaCache = new Map<number, string>();
  const areaOf = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached) return cached;
    const chain: number[] = [];
    let area: string | undefined;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const hit = areaCache.get(cur);
      if (hit) {
        area = hit;
        break;
      }
      chain.push(cur);
      area = areaOfUrl(byId.get(cur)!.callFrame.url);
      if (area) break;
    }
    const result = area ?? RUNTIME;
    for (const c of chain) areaCache.set(c, result);
    return result;
  };
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; the sample stands for the interval after it.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + dt);
  }
  let idleUs = 0;
  let benchUs = 0;
  const areaUs = new Map<string, number>();
  const fnUs = new Map<string, { fn: string; where: string; area: string; us: number }>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const area = frame.functionName === '(garbage collector)' ? 'garbage collector' : frame.functionName === '(program)' ? 'V8/native (program)' : areaOf(id);
    if (area === BENCH) {
      benchUs += us;
      continue;
    }
    areaUs.set(area, (areaUs.get(area) ?? 0) + us);
    const fn = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)';
    const key = `${fn}|${where}|${area}`;
    const entry = fnUs.get(key) ?? { fn, where, area, us: 0 };
    entry.us += us;
    fnUs.set(key, entry);
  }
  const busyUs = [...areaUs.values()].reduce((a, b) => a + b, 0);
  const inclusiveUs = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || areaOf(id) === BENCH) continue;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!OUR_CODE.test(f.url)) continue;
      const key = `${f.functionName || '(anonymous)'}|${shortUrl(f.url)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveUs.set(key, (inclusiveUs.get(key) ?? 0) + us);
    }
  }
  const pct = (us: number) => Math.round((1000 * us) / Math.max(1, busyUs)) / 10;
  return {
    file,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    benchMs: benchUs / 1000,
    areas: [...areaUs].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: Math.round(us / 100) / 10, pct: pct(us) })),
    top: [...fnUs.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((e) => ({ fn: e.fn, where: e.where, area: e.area, ms: Math.round(e.us / 100) / 10, pct: pct(e.us) })),
    ourPaths: [...inclusiveUs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([key, us]) => {
        const [fn, where] = key.split('|') as [string, string];
        return { fn, where, ms: Math.round(us / 100) / 10, pct: pct(us) };
      }),
  };
}

/** `node … profile.ts file.cpuprofile`: print the summary. */
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, 'bench/'))) {
  const summary = summariseProfile(process.argv[2]!);
  console.log(JSON.stringify(summary, null, 2));
}

// `npm run bench:ai`: the AI sidecar's own overhead and memory, against the
// local fake OpenAI-compatible server. Needs the real Postgres (TEST_DATABASE_URL
// or postgres://postgres@127.0.0.1:5432/test) and a built services/ai.
//
// 1. First-token overhead: time to the first token through the sidecar (its
//    own process, with auth, role check, document load from Postgres, quota
//    query, prompt building) minus the upstream's own first-token time measured
//    directly with the openai SDK. Target ≤ 20 ms.
// 2. 200 concurrent streams on one sidecar process; peak RSS. Target ≤ 150 MB.
// Results are printed and written to bench/results/ai-<timestamp>.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { coreMigrations, DocumentStore, openDatabase, runMigrations } from '@copycloud/db';
import { startFakeOpenAI } from '@copycloud/fake-openai';
import { createTestSchema, waitFor } from '@copycloud/testing';
import { aiMigrations, createTextGenerator } from '@copycloud/ai';

const FIRST_TOKEN_SAMPLES = 60;
const WARMUP_SAMPLES = 10;
const CONCURRENT_STREAMS = 200;
/** Per-token delay during the concurrency run, so all streams are open at once. */
const CONCURRENT_TOKEN_DELAY_MS = 50;
const CONCURRENT_TOKENS = 60;
const RSS_SAMPLE_INTERVAL_MS = 25;
const TARGET_OVERHEAD_MS = 20;
const TARGET_RSS_MB = 150;

const root = fileURLToPath(new URL('../../', import.meta.url));
const sidecarMain = `${root}services/ai/dist/main.js`;

const schema = await createTestSchema('aibench');
const db = await openDatabase({ url: schema.url, dataDir: 'unused', maxConnections: 2 });
await runMigrations(db, [...coreMigrations, ...aiMigrations]);
const fake = await startFakeOpenAI();
let child: ChildProcess | undefined;

try {
  const documentId = 'bench-doc';
  await seedDocument(documentId);
  child = spawn(process.execPath, [...(process.env.BENCH_SIDECAR_NODE_FLAGS ?? '').split(' ').filter(Boolean), sidecarMain], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      AUTH_DISABLED: 'true',
      DATABASE_URL: schema.url,
      OPENAI_BASE_URL: fake.baseURL,
      AI_MODEL: 'demo-model',
      AI_RATE_LIMIT_PER_MINUTE: '1000000',
      AI_DAILY_TOKEN_QUOTA: '1000000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await listeningUrl(child);
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, { timeoutMs: 30_000 });

  // 1. First-token overhead, sequential, one user per request (the sidecar's dev auth derives users from tokens).
  const direct = createTextGenerator({ apiKey: 'unused', baseURL: fake.baseURL, model: 'demo-model', apiStyle: 'chat' });
  const directMs: number[] = [];
  const viaSidecarMs: number[] = [];
  for (let i = 0; i < WARMUP_SAMPLES + FIRST_TOKEN_SAMPLES; i++) {
    const d = await directFirstToken(direct);
    const s = await sidecarFirstToken(url, documentId, `bench-user-${i}`);
    if (i >= WARMUP_SAMPLES) {
      directMs.push(d);
      viaSidecarMs.push(s);
    }
  }
  const overheadMs = viaSidecarMs.map((s, i) => s - directMs[i]!);

  // 2. Concurrency: many slow streams open at once; sample the sidecar's RSS throughout.
  const rssBeforeMb = rssMb(child.pid!);
  let peakRssMb = rssBeforeMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(child!.pid!));
  }, RSS_SAMPLE_INTERVAL_MS);
  // The sidecar's model name is fixed, so the slow streams are set up as queued scenarios, one per request.
  for (let i = 0; i < CONCURRENT_STREAMS; i++) fake.queue({ tokens: CONCURRENT_TOKENS, tokenDelayMs: CONCURRENT_TOKEN_DELAY_MS });
  const started = performance.now();
  let maxOpen = 0;
  let open = 0;
  const results = await Promise.all(
    Array.from({ length: CONCURRENT_STREAMS }, async (_, i) => {
      const response = await fetch(`${url}/api/ai/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer concurrent-${i}`, 'x-bench': '1' },
        body: JSON.stringify({ documentId: `${documentId}-slow` }),
      });
      open++;
      maxOpen = Math.max(maxOpen, open);
      const text = await response.text();
      open--;
      return response.status === 200 && text.includes('event: done');
    }),
  );
  clearInterval(sampler);
  const concurrentSeconds = (performance.now() - started) / 1000;

  const report = {
    benchmark: 'ai-sidecar',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    firstToken: {
      samples: FIRST_TOKEN_SAMPLES,
      upstreamDirectMs: stats(directMs),
      throughSidecarMs: stats(viaSidecarMs),
      overheadMs: stats(overheadMs),
      targetOverheadMs: TARGET_OVERHEAD_MS,
      meetsTarget: stats(overheadMs).p50 <= TARGET_OVERHEAD_MS,
    },
    concurrency: {
      streams: CONCURRENT_STREAMS,
      tokensPerStream: CONCURRENT_TOKENS,
      tokenDelayMs: CONCURRENT_TOKEN_DELAY_MS,
      completed: results.filter(Boolean).length,
      maxOpenAtOnce: maxOpen,
      seconds: round(concurrentSeconds),
      rssBeforeMb: round(rssBeforeMb),
      peakRssMb: round(peakRssMb),
      targetRssMb: TARGET_RSS_MB,
      meetsTarget: peakRssMb <= TARGET_RSS_MB,
    },
  };
  mkdirSync(`${root}bench/results`, { recursive: true });
  const file = `${root}bench/results/ai-${report.date.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  console.log(`written to ${file}`);
} finally {
  child?.kill('SIGTERM');
  await fake.close();
  await db.close();
  await schema.drop();
}

async function seedDocument(id: string): Promise<void> {
  const store = new DocumentStore(db);
  for (const docId of [id, `${id}-slow`]) {
    const doc = new Y.Doc();
    const paragraphs = Array.from({ length: 30 }, (_, i) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`Paragraph ${i}: launch copy that tells the story of the product in plain, friendly words for busy readers.`)]);
      return p;
    });
    doc.getXmlFragment('default').insert(0, paragraphs);
    await store.ensureDocument(docId);
    await store.append([{ documentId: docId, update: Y.encodeStateAsUpdate(doc), originNode: 'bench' }]);
  }
}

async function directFirstToken(generator: ReturnType<typeof createTextGenerator>): Promise<number> {
  const started = performance.now();
  let first = 0;
  for await (const event of generator.generate({ system: 's', user: 'u' }, { maxOutputTokens: 20, signal: new AbortController().signal })) {
    if (event.type === 'delta' && first === 0) first = performance.now() - started;
  }
  return first;
}

async function sidecarFirstToken(url: string, documentId: string, user: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/ai/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user}` },
    body: JSON.stringify({ documentId }),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let first = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    if (first === 0 && buffer.includes('event: delta')) first = performance.now() - started;
  }
  if (first === 0) throw new Error(`no token through the sidecar: ${buffer.slice(0, 300)}`);
  return first;
}

function listeningUrl(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`sidecar exited with ${code} before listening: ${out}`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { p50: at(0.5), p95: at(0.95), max: round(sorted.at(-1)!), mean: round(values.reduce((a, b) => a + b, 0) / values.length) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

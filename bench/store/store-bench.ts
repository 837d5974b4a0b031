// `npm run bench:store`: durable storage on the real Postgres
// (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test).
//
// 1. Append: 1,000 updates/s spread over 100 documents through the sync
//    node's UpdateLogWriter (group commit), with the snapshots compactor
//    running. Latency = receipt (enqueue) → commit, as the node measures it.
//    Target p99 ≤ 50 ms; the log must stay bounded.
// 2. Cold open: a document built from a real editing history (Kleppmann's
//    automerge-paper trace, 259,778 edits applied as Y.Text edits), stored as
//    compacted state (+ a log tail), opened from Postgres by a fresh
//    HocuspocusProvider through a real sync node until synced. Target ≤ 150 ms.
// 3. Compaction of 10,000 small updates into state. Target ≤ 1 s.
// Results are printed and written to bench/results/store-<timestamp>.json.
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { coreMigrations, DocumentStore, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { createSyncNode, UpdateLogWriter } from '@copycloud/sync-server';
import { createTestSchema, waitFor } from '@copycloud/testing';
import { DEFAULT_SNAPSHOTS_CONFIG, createSnapshotsService, snapshotsMigrations } from '@copycloud/snapshots';

const APPEND_RATE_PER_S = 1_000;
const APPEND_DOCUMENTS = 100;
const APPEND_DURATION_S = 30;
const APPEND_TICK_MS = 10;
const STORE_BATCH_MS = 5;
const COMPACT_THRESHOLD_ROWS = 50;
const COMPACT_INTERVAL_MS = 1_000;
const COLD_OPEN_RUNS = 10;
const COLD_OPEN_LOG_TAIL = 200;
const COMPACTION_UPDATES = 10_000;
const COMPACTION_RUNS = 3;
/** Real editing traces live in the steering repository's shared/, beside this checkout. */
const TRACE = fileURLToPath(new URL('../../../shared/traces/sequential-automerge-paper.json.gz', import.meta.url));
const TARGETS = { appendP99Ms: 50, coldOpenMs: 150, compaction10kMs: 1_000 };

const logger = createLogger({ name: 'bench-store', level: 'silent' });
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round = (n: number) => Math.round(n * 100) / 100;
const summary = (values: number[]) => ({
  n: values.length,
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  p99: round(percentile(values, 99)),
  max: round(Math.max(...values)),
});

async function openSchema(prefix: string): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const schema = await createTestSchema(prefix);
  const db = await openDatabase({ url: schema.url, dataDir: '', maxConnections: 8 });
  await runMigrations(db, [...coreMigrations, ...snapshotsMigrations]);
  return { db, url: schema.url, drop: async () => { await db.close(); await schema.drop(); } };
}

async function benchAppend() {
  const { db, drop } = await openSchema('benchappend');
  try {
    const store = new DocumentStore(db);
    const ids = Array.from({ length: APPEND_DOCUMENTS }, (_, i) => `append-${i}`);
    for (const id of ids) await store.ensureDocument(id);
    const latencies: number[] = [];
    const batchSizes: number[] = [];
    const writer = new UpdateLogWriter({
      store,
      logger,
      batchMs: STORE_BATCH_MS,
      onCommitted: (batch, ms) => {
        latencies.push(...ms);
        batchSizes.push(batch.updates);
      },
    });
    const snapshots = createSnapshotsService({
      config: { ...DEFAULT_SNAPSHOTS_CONFIG, compactor: { ...DEFAULT_SNAPSHOTS_CONFIG.compactor, thresholdRows: COMPACT_THRESHOLD_ROWS, intervalMs: COMPACT_INTERVAL_MS, documentsPerTick: APPEND_DOCUMENTS } },
      db,
      logger,
      verifier: { verifyAccessToken: async () => { throw new Error('unused'); } },
      roles: { roleOf: async () => null },
    });
    snapshots.start();
    const authors = ids.map(() => new Y.Doc());
    const perTick = (APPEND_RATE_PER_S * APPEND_TICK_MS) / 1000;
    const ticks = (APPEND_DURATION_S * 1000) / APPEND_TICK_MS;
    const logRows: number[] = [];
    const sampler = setInterval(() => void snapshots.compactor.backlog().then((n) => logRows.push(n)), 1_000);
    let sent = 0;
    const started = performance.now();
    for (let t = 0; t < ticks; t++) {
      for (let i = 0; i < perTick; i++) {
        const d = sent % APPEND_DOCUMENTS;
        const author = authors[d]!;
        const before = Y.encodeStateVector(author);
        author.getText('t').insert(author.getText('t').length, 'x');
        writer.enqueue({ documentId: ids[d]!, update: Y.encodeStateAsUpdate(author, before), originNode: 'bench' });
        sent += 1;
      }
      // Pace against the wall clock, so a slow tick is caught up, not skipped.
      const due = started + (t + 1) * APPEND_TICK_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    await writer.close();
    const elapsedS = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await snapshots.stop();
    // Nothing lost: every document holds every character.
    for (const [d, id] of ids.entries()) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await store.loadMerged(id))!);
      if (doc.getText('t').length !== authors[d]!.getText('t').length) throw new Error(`lost updates in ${id}`);
    }
    return {
      updates: sent,
      documents: APPEND_DOCUMENTS,
      achievedRatePerS: Math.round(sent / elapsedS),
      receiptToCommitMs: summary(latencies),
      commits: batchSizes.length,
      updatesPerCommit: round(sent / batchSizes.length),
      logRowsSampledEverySecond: logRows,
      logRowsMax: Math.max(...logRows),
      compactThresholdRows: COMPACT_THRESHOLD_ROWS,
      target: { p99Ms: TARGETS.appendP99Ms, met: percentile(latencies, 99) <= TARGETS.appendP99Ms },
    };
  } finally {
    await drop();
  }
}

function traceDocument(): { doc: Y.Doc; edits: number; chars: number; headState: Uint8Array; updates: Uint8Array[] } {
  const trace = JSON.parse(gunzipSync(readFileSync(TRACE)).toString('utf8')) as {
    endContent: string;
    txns: Array<{ patches: Array<[number, number, string]> }>;
  };
  const doc = new Y.Doc();
  const text = doc.getText('t');
  const updates: Uint8Array[] = [];
  const tailFrom = trace.txns.length - COLD_OPEN_LOG_TAIL;
  doc.on('update', (update: Uint8Array) => updates.push(update));
  let edits = 0;
  let headState: Uint8Array = new Uint8Array();
  trace.txns.forEach((txn, index) => {
    if (index === tailFrom) {
      headState = Y.encodeStateAsUpdate(doc); // the compacted state before the tail
      updates.length = 0; // keep only the tail's updates, as log rows
    }
    doc.transact(() => {
      for (const [position, deleted, inserted] of txn.patches) {
        if (deleted > 0) text.delete(position, deleted);
        if (inserted) text.insert(position, inserted);
        edits += 1;
      }
    });
  });
  if (text.toString() !== trace.endContent) throw new Error('trace replay does not reach endContent');
  return { doc, edits, chars: text.length, headState, updates };
}

async function benchColdOpen() {
  const { db, drop } = await openSchema('benchcold');
  const buildStarted = performance.now();
  const { doc, edits, chars, headState, updates } = traceDocument();
  const buildMs = performance.now() - buildStarted;
  const full = Y.encodeStateAsUpdate(doc);
  const store = new DocumentStore(db);
  const node = createSyncNode({
    config: { nodeId: 'bench', authDisabled: true, authIssuer: 'copycloud', maxPayloadBytes: 16 * 1024 * 1024, storeBatchMs: STORE_BATCH_MS, maxDocumentsPerSocket: 4 },
    db,
    logger,
  });
  const http = await startHttpServer({ app: new Hono(), upgrades: [node.handleUpgrade], port: 0, host: '127.0.0.1' });
  const syncUrl = http.url.replace('http', 'ws') + '/sync';
  try {
    const timings: { stateOnlyMs: number[]; stateAndLogTailMs: number[] } = { stateOnlyMs: [], stateAndLogTailMs: [] };
    for (const variant of ['stateOnlyMs', 'stateAndLogTailMs'] as const) {
      for (let run = 0; run < COLD_OPEN_RUNS + 1; run++) {
        const id = `cold-${variant}-${run}`;
        await store.ensureDocument(id);
        if (variant === 'stateOnlyMs') {
          await db.query('INSERT INTO document_states (document_id, state) VALUES ($1, $2) ON CONFLICT (document_id) DO UPDATE SET state = EXCLUDED.state', [id, full]);
        } else {
          // Compacted state of all but the last edits, the rest in the log (as between compactions).
          await db.query('INSERT INTO document_states (document_id, state) VALUES ($1, $2) ON CONFLICT (document_id) DO UPDATE SET state = EXCLUDED.state', [id, headState]);
          await store.append(updates.map((update) => ({ documentId: id, update, originNode: 'bench' })));
        }
        const client = new Y.Doc();
        const started = performance.now();
        const provider = new HocuspocusProvider({ url: `${syncUrl}?doc=${id}`, name: id, document: client, token: 'bench' });
        await waitFor(() => provider.isSynced, { timeoutMs: 30_000, intervalMs: 1 });
        const ms = performance.now() - started;
        if (client.getText('t').length !== chars) throw new Error(`cold open ${id}: ${client.getText('t').length} chars, expected ${chars}`);
        provider.destroy();
        client.destroy();
        await waitFor(() => !node.hocuspocus.documents.has(id), { timeoutMs: 10_000 });
        if (run > 0) timings[variant].push(ms); // run 0 warms up code paths, not the document
      }
    }
    return {
      trace: 'sequential-automerge-paper (Martin Kleppmann, automerge/automerge-perf)',
      edits,
      finalChars: chars,
      buildMs: Math.round(buildMs),
      stateBytes: full.byteLength,
      logTailRows: updates.length,
      stateOnly: summary(timings.stateOnlyMs),
      stateAndLogTail: summary(timings.stateAndLogTailMs),
      target: { ms: TARGETS.coldOpenMs, met: percentile(timings.stateAndLogTailMs, 50) <= TARGETS.coldOpenMs && percentile(timings.stateOnlyMs, 50) <= TARGETS.coldOpenMs },
    };
  } finally {
    await node.shutdown();
    await http.close();
    await drop();
  }
}

async function benchCompaction() {
  const results: Record<string, ReturnType<typeof summary> & { met: boolean }> = {};
  for (const kind of ['postgres', 'pglite'] as const) {
    const opened = kind === 'postgres' ? await openSchema('benchcompact') : await (async () => {
      const db = await openDatabase({ dataDir: 'memory://' });
      await runMigrations(db, [...coreMigrations, ...snapshotsMigrations]);
      return { db, url: '', drop: () => db.close() };
    })();
    try {
      const store = new DocumentStore(opened.db);
      const times: number[] = [];
      for (let run = 0; run < COMPACTION_RUNS; run++) {
        const id = `compact-${run}`;
        await store.ensureDocument(id);
        const author = new Y.Doc();
        const rows = [];
        for (let i = 0; i < COMPACTION_UPDATES; i++) {
          const before = Y.encodeStateVector(author);
          const text = author.getText('t');
          if (i % 10 === 9) text.delete(Math.floor(text.length / 2), 1);
          else text.insert(Math.floor((i * 7919) % (text.length + 1)), 'y');
          rows.push({ documentId: id, update: Y.encodeStateAsUpdate(author, before), originNode: 'bench' });
        }
        await store.append(rows);
        const started = performance.now();
        const result = await store.compact(id);
        times.push(performance.now() - started);
        if (result.compactedRows !== COMPACTION_UPDATES) throw new Error(`compacted ${result.compactedRows}`);
      }
      results[kind] = { ...summary(times), met: percentile(times, 50) <= TARGETS.compaction10kMs };
    } finally {
      await opened.drop();
    }
  }
  return { updates: COMPACTION_UPDATES, ms: results, targetMs: TARGETS.compaction10kMs };
}

const report = {
  bench: 'store',
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  compaction: await benchCompaction(),
  coldOpen: await benchColdOpen(),
  append: await benchAppend(),
};
console.log(JSON.stringify(report, null, 2));
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const out = new URL(`../results/store-${report.at.replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`written to ${out.pathname}`);

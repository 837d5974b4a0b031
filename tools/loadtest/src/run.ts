import type { LoadTestConfig } from './args.js';
import { SimulatedEditor } from './editor.js';
import { LatencySamples, round } from './latency.js';
import { markerKey, type Marker } from './markers.js';
import { documentsFromAuth, staticDocuments, type LoadTestDocument } from './tokens.js';

export interface LoadTestReport {
  urls: string[];
  clients: number;
  docs: number;
  ratePerSecond: number;
  durationSeconds: number;
  /** Clients synced when editing began. */
  connected: number;
  edits: number;
  /** Edits seen by another client of the same document (each reader counts). */
  deliveries: number;
  /** Expected deliveries that did not arrive before the drain timeout. */
  lost: number;
  errors: { total: number; byKind: Record<string, number> };
  /** (lost deliveries + connection errors) / (expected deliveries + clients). */
  errorRate: number;
  /** Edit-to-other-client latency. */
  latencyMs: { count: number; p50: number | null; p90: number | null; p99: number | null; max: number | null };
  slo: { p99Ms: number | null; errorRate: number | null; passed: boolean; violations: string[] };
}

export interface RunOptions {
  /** One human-readable line per second while editing. */
  onProgress?: (line: string) => void;
}

const TICK_MS = 5;
const PROGRESS_INTERVAL_MS = 1_000;
const POLL_MS = 20;

interface PendingDelivery {
  sentAtMs: number;
  readers: Set<number>;
}

/** Drives simulated editors against `config.url` and measures propagation. */
export async function runLoadTest(config: LoadTestConfig, options: RunOptions = {}): Promise<LoadTestReport> {
  const progress = options.onProgress ?? (() => {});
  const documents: LoadTestDocument[] = config.authUrl
    ? await documentsFromAuth(config.authUrl, config.docs)
    : staticDocuments(config.docPrefix, config.docs, config.token);

  const errorsByKind: Record<string, number> = {};
  let connectionErrors = 0;
  const countError = (kind: string) => {
    errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
  };
  const overall = new LatencySamples();
  let window = new LatencySamples();
  const pending = new Map<string, PendingDelivery>();
  let deliveries = 0;

  const editors: SimulatedEditor[] = [];
  const byDocument = new Map<string, SimulatedEditor[]>();
  const events = {
    onRemoteMarker(reader: number, marker: Marker, receivedAtMs: number) {
      const key = markerKey(marker);
      const entry = pending.get(key);
      if (!entry || !entry.readers.delete(reader)) return;
      const latency = receivedAtMs - entry.sentAtMs;
      overall.add(latency);
      window.add(latency);
      deliveries += 1;
      if (entry.readers.size === 0) pending.delete(key);
    },
    onError(_editor: number, kind: string) {
      connectionErrors += 1;
      countError(kind);
    },
  };
  for (let i = 0; i < config.clients; i += 1) {
    const document = documents[i % documents.length]!;
    // Client i edits document i mod M; consecutive rounds of M clients use
    // the next URL, so with several URLs every document spans them.
    const url = config.urls[Math.floor(i / documents.length) % config.urls.length]!;
    const editor = new SimulatedEditor(i, document.name, url, document.token, events);
    editors.push(editor);
    const peers = byDocument.get(document.name) ?? [];
    peers.push(editor);
    byDocument.set(document.name, peers);
  }

  try {
    const connectDeadline = performance.now() + config.connectTimeoutMs;
    await until(() => editors.every((e) => e.synced) || performance.now() > connectDeadline);
    const connected = editors.filter((e) => e.synced).length;
    for (let i = connected; i < editors.length; i += 1) {
      connectionErrors += 1;
      countError('connect_timeout');
    }
    progress(`connected ${connected}/${editors.length} clients to ${documents.length} documents`);

    // Editing: `rate` edits per second overall, round-robin over synced editors.
    let edits = 0;
    let next = 0;
    const startedAt = performance.now();
    const endAt = startedAt + config.durationSeconds * 1_000;
    let lastProgress = startedAt;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        const due = Math.floor((Math.min(now, endAt) - startedAt) / 1_000 * config.ratePerSecond) - edits;
        for (let n = 0; n < due; n += 1) {
          const writer = pickSynced(editors, next);
          edits += 1;
          if (!writer) {
            countError('no_connected_writer');
            continue;
          }
          next = writer.id + 1;
          const readers = byDocument.get(writer.documentName)!.filter((e) => e !== writer && e.synced).map((e) => e.id);
          const marker = writer.edit();
          if (readers.length) pending.set(markerKey(marker), { sentAtMs: marker.sentAtMs, readers: new Set(readers) });
        }
        if (now - lastProgress >= PROGRESS_INTERVAL_MS || now >= endAt) {
          lastProgress = now;
          progress(progressLine(now - startedAt, editors, edits, deliveries, window, overall, errorsByKind));
          window = new LatencySamples();
        }
        if (now >= endAt) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });

    const drainDeadline = performance.now() + config.drainTimeoutMs;
    await until(() => pending.size === 0 || performance.now() > drainDeadline);
    let lost = 0;
    for (const entry of pending.values()) lost += entry.readers.size;
    if (lost) errorsByKind.lost_delivery = lost;

    const expected = deliveries + lost;
    const errorRate = (lost + connectionErrors) / Math.max(1, expected + config.clients);
    const latencyMs = {
      count: overall.count,
      p50: round(overall.percentile(50)),
      p90: round(overall.percentile(90)),
      p99: round(overall.percentile(99)),
      max: round(overall.max()),
    };
    const violations: string[] = [];
    if (config.sloP99Ms !== undefined) {
      if (latencyMs.p99 === null) violations.push('p99 latency: no samples');
      else if (latencyMs.p99 > config.sloP99Ms) violations.push(`p99 latency ${latencyMs.p99} ms > ${config.sloP99Ms} ms`);
    }
    if (config.sloErrorRate !== undefined && errorRate > config.sloErrorRate) {
      violations.push(`error rate ${errorRate.toFixed(4)} > ${config.sloErrorRate}`);
    }
    return {
      urls: config.urls,
      clients: config.clients,
      docs: documents.length,
      ratePerSecond: config.ratePerSecond,
      durationSeconds: config.durationSeconds,
      connected,
      edits,
      deliveries,
      lost,
      errors: { total: lost + connectionErrors + (errorsByKind.no_connected_writer ?? 0), byKind: errorsByKind },
      errorRate: Math.round(errorRate * 1e6) / 1e6,
      latencyMs,
      slo: {
        p99Ms: config.sloP99Ms ?? null,
        errorRate: config.sloErrorRate ?? null,
        passed: violations.length === 0,
        violations,
      },
    };
  } finally {
    for (const editor of editors) editor.destroy();
  }
}

function pickSynced(editors: SimulatedEditor[], from: number): SimulatedEditor | undefined {
  for (let n = 0; n < editors.length; n += 1) {
    const editor = editors[(from + n) % editors.length]!;
    if (editor.synced) return editor;
  }
  return undefined;
}

function until(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const timer = setInterval(() => {
      if (done()) {
        clearInterval(timer);
        resolve();
      }
    }, POLL_MS);
  });
}

function progressLine(
  elapsedMs: number,
  editors: SimulatedEditor[],
  edits: number,
  deliveries: number,
  window: LatencySamples,
  overall: LatencySamples,
  errorsByKind: Record<string, number>,
): string {
  const errors = Object.values(errorsByKind).reduce((a, b) => a + b, 0);
  const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)}ms`);
  return [
    `t=${(elapsedMs / 1_000).toFixed(1)}s`,
    `connected=${editors.filter((e) => e.synced).length}/${editors.length}`,
    `edits=${edits}`,
    `delivered=${deliveries}`,
    `last1s p50=${ms(window.percentile(50))} p99=${ms(window.percentile(99))}`,
    `all p99=${ms(overall.percentile(99))}`,
    `errors=${errors}`,
  ].join(' ');
}

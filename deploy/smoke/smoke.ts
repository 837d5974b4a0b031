#!/usr/bin/env node
// Smoke test of a running stack through its proxy: what an operator checks
// after `docker compose up`. Used by CI against the compose stack and by
// deploy/test/haproxy.test.ts against the real HAProxy with the shipped config.
//
//   node --import tsx --conditions=@copycloud/source deploy/smoke/smoke.ts \
//     --proxy http://127.0.0.1:8080 \
//     --sync ws://127.0.0.1:18081 --sync ws://127.0.0.1:18082 \
//     --metrics sync-1=http://127.0.0.1:18081 --metrics auth=http://127.0.0.1:18083 …
//
// Prints one JSON line per step to stdout; exit 0 when every step passed,
// 1 when one failed, 2 on bad arguments.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';

export interface SmokeOptions {
  /** Base URL of the proxy, e.g. http://127.0.0.1:8080. */
  proxyUrl: string;
  /**
   * WebSocket base URLs of sync nodes reached directly (ws://host:port), one
   * client each; one more client goes through the proxy's /sync.
   */
  syncUrls: string[];
  /** Service name → base URL whose /metrics is scraped (sync-1, auth, ai, snapshots…). */
  metricsUrls: Record<string, string>;
  /** Bounds every wait (convergence, storage). */
  timeoutMs?: number;
  /** Called after each step. */
  onStep?: (step: SmokeStep) => void;
}

export interface SmokeStep {
  step: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

/** Metric prefix each kind of service exports (its name up to the first "-" digit suffix). */
const METRIC_PREFIX: Record<string, string> = {
  sync: 'copycloud_sync_',
  'sync-server': 'copycloud_sync_',
  auth: 'copycloud_auth_',
  ai: 'copycloud_ai_',
  snapshots: 'copycloud_snapshots_',
};

const DEFAULT_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;

export class SmokeError extends Error {
  readonly code = 'smoke_failed';
}

/** Runs every step in order; throws a SmokeError naming the first that failed. */
export async function runSmoke(options: SmokeOptions): Promise<SmokeStep[]> {
  const proxy = options.proxyUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const steps: SmokeStep[] = [];

  async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      record({ step: name, ok: true, ms: Math.round(performance.now() - started) });
      return result;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      record({ step: name, ok: false, ms: Math.round(performance.now() - started), detail });
      throw new SmokeError(`smoke step "${name}" failed: ${detail}`, { cause: error });
    }
  }
  function record(s: SmokeStep): void {
    steps.push(s);
    options.onStep?.(s);
  }

  await step('proxy answers and serves the app', async () => {
    await expectStatus(await request(`${proxy}/haproxy-health`), 200, 'GET /haproxy-health');
    await expectStatus(await request(`${proxy}/`), 200, 'GET / (app)');
  });

  const email = `smoke-${randomBytes(6).toString('hex')}@example.com`;
  const session = await step('sign up', async () => {
    const response = await request(`${proxy}/api/auth/signup`, { method: 'POST', body: { email, password: randomBytes(12).toString('base64url'), name: 'Smoke' } });
    const body = await expectJson(response, 201, 'POST /api/auth/signup');
    return { accessToken: field(body, 'accessToken', 'POST /api/auth/signup') };
  });

  const documentId = await step('create a document', async () => {
    const response = await request(`${proxy}/api/docs`, { method: 'POST', bearer: session.accessToken, body: { title: 'Smoke test' } });
    const body = await expectJson(response, 201, 'POST /api/docs');
    return field(body.document, 'id', 'POST /api/docs → document');
  });

  const documentToken = await step('mint a document token', async () => {
    const response = await request(`${proxy}/api/docs/${encodeURIComponent(documentId)}/token`, { method: 'POST', bearer: session.accessToken, body: {} });
    return field(await expectJson(response, 200, 'POST /api/docs/:id/token'), 'token', 'POST /api/docs/:id/token');
  });

  const endpoints = [...options.syncUrls.map((url) => url.replace(/\/+$/, '')), `${proxy.replace(/^http/, 'ws')}`];
  const clients = endpoints.map((base, i) => new SmokeClient(`${base}/sync`, documentId, documentToken, `client ${i} via ${base}`));
  try {
    await step(`${clients.length} clients (${options.syncUrls.length} nodes directly, 1 through the proxy) sync`, () =>
      waitUntil(() => clients.every((c) => c.synced), timeoutMs, () => clients.filter((c) => !c.synced).map((c) => c.label).join(', ') + ' not synced'),
    );
    const markers = clients.map((_, i) => `smoke-${i}-${randomBytes(4).toString('hex')}`);
    clients.forEach((client, i) => client.addParagraph(markers[i]!));
    await step('every client sees every edit (across nodes through Redis)', () =>
      waitUntil(
        () => clients.every((c) => markers.every((m) => c.content().includes(m))) && new Set(clients.map((c) => c.content())).size === 1,
        timeoutMs,
        () => clients.map((c) => `${c.label}: ${c.content()}`).join('\n'),
      ),
    );
    await step('the edits are stored (markdown export through the snapshots service)', () =>
      waitUntil(
        async () => {
          const response = await request(`${proxy}/api/docs/${encodeURIComponent(documentId)}/export?format=md`, { bearer: session.accessToken });
          if (response.status !== 200) return false;
          const text = await response.text();
          return markers.every((m) => text.includes(m));
        },
        timeoutMs,
        () => 'export does not contain every edit yet',
      ),
    );
  } finally {
    for (const client of clients) client.destroy();
  }

  await step('AI status answers through the proxy', async () => {
    await expectJson(await request(`${proxy}/api/ai/status`), 200, 'GET /api/ai/status');
  });

  for (const [name, base] of Object.entries(options.metricsUrls)) {
    await step(`${name} /metrics`, async () => {
      const response = await request(`${base.replace(/\/+$/, '')}/metrics`);
      await expectStatus(response, 200, `${name} GET /metrics`);
      const text = await response.text();
      const prefix = METRIC_PREFIX[name.replace(/-\d+$/, '')];
      if (prefix && !text.includes(`\n${prefix}`) && !text.startsWith(prefix)) throw new Error(`${name} /metrics has no ${prefix}* metric`);
    });
  }
  return steps;
}

/** One real client: a Y.Doc shaped like the editor's, on its own socket. */
class SmokeClient {
  readonly doc = new Y.Doc();
  readonly provider: HocuspocusProvider;
  private failure: string | undefined;

  constructor(
    syncUrl: string,
    documentId: string,
    token: string,
    readonly label: string,
  ) {
    this.provider = new HocuspocusProvider({
      url: `${syncUrl}?doc=${encodeURIComponent(documentId)}`,
      name: documentId,
      document: this.doc,
      token,
      onAuthenticationFailed: ({ reason }) => void (this.failure = `authentication failed: ${reason}`),
    });
  }

  get synced(): boolean {
    if (this.failure) throw new Error(`${this.label}: ${this.failure}`);
    return this.provider.isSynced;
  }

  addParagraph(text: string): void {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    const fragment = this.doc.getXmlFragment('default');
    fragment.insert(fragment.length, [paragraph]);
  }

  content(): string {
    return this.doc.getXmlFragment('default').toString();
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

async function request(url: string, options: { method?: string; bearer?: string; body?: unknown } = {}): Promise<Response> {
  try {
    return await fetch(url, {
      method: options.method ?? 'GET',
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Error(`${options.method ?? 'GET'} ${url}: ${(error as Error).message}`, { cause: error });
  }
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status === status) return;
  const body = await response.text().catch(() => '');
  throw new Error(`${what}: expected ${status}, got ${response.status} ${body.slice(0, 200)}`);
}

async function expectJson(response: Response, status: number, what: string): Promise<any> {
  await expectStatus(response, status, what);
  return response.json();
}

function field(value: unknown, name: string, what: string): string {
  const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  if (typeof found !== 'string' || !found) throw new Error(`${what}: expected a string "${name}" in ${JSON.stringify(value)?.slice(0, 200)}`);
  return found;
}

/** Polls `condition` until true; the timeout only bounds a hang. */
async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms: ${lastError instanceof Error ? lastError.message : describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function parseCommandLine(argv: string[]): SmokeOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      proxy: { type: 'string' },
      sync: { type: 'string', multiple: true, default: [] },
      metrics: { type: 'string', multiple: true, default: [] },
      'timeout-ms': { type: 'string' },
    },
  });
  const problems: string[] = [];
  if (!values.proxy || !/^https?:\/\//.test(values.proxy)) problems.push('--proxy: required, http(s)://host:port');
  if (values.sync.length < 2) problems.push('--sync: give at least two sync nodes (ws://host:port), reached directly');
  for (const url of values.sync) if (!/^wss?:\/\//.test(url)) problems.push(`--sync: must start with ws:// or wss://, got ${url}`);
  const metricsUrls: Record<string, string> = {};
  for (const entry of values.metrics) {
    const match = /^([\w-]+)=(https?:\/\/\S+)$/.exec(entry);
    if (!match) problems.push(`--metrics: expected name=http://host:port, got ${entry}`);
    else metricsUrls[match[1]!] = match[2]!;
  }
  const timeoutMs = values['timeout-ms'] === undefined ? DEFAULT_TIMEOUT_MS : Number(values['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) problems.push(`--timeout-ms: a positive integer, got ${values['timeout-ms']}`);
  if (problems.length) {
    process.stderr.write(`smoke: bad arguments\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  return { proxyUrl: values.proxy!, syncUrls: values.sync, metricsUrls, timeoutMs };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const options = parseCommandLine(process.argv.slice(2));
  try {
    await runSmoke({ ...options, onStep: (s) => process.stdout.write(`${JSON.stringify(s)}\n`) });
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

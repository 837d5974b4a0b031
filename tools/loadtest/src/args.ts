import { parseArgs } from 'node:util';

/** What one run does; every duration says its unit. */
export interface LoadTestConfig {
  /**
   * ws(s)://host[:port]/sync of any deployment (a proxy, a gateway, or nodes).
   * Several URLs (repeat --url) spread each document's clients over them, so
   * edits cross nodes (Redis fan-out) without a proxy.
   */
  urls: string[];
  clients: number;
  docs: number;
  /** Edits per second across all clients together, spread round-robin. */
  ratePerSecond: number;
  durationSeconds: number;
  /** Token for every connection (nodes with AUTH_DISABLED accept any). */
  token?: string | undefined;
  /** Auth sidecar base URL: a guest creates the documents and mints document tokens. */
  authUrl?: string | undefined;
  sloP99Ms?: number | undefined;
  sloErrorRate?: number | undefined;
  /** Prefix of document names when not created through auth. */
  docPrefix: string;
  connectTimeoutMs: number;
  /** After the last edit, how long to wait for outstanding markers before counting them lost. */
  drainTimeoutMs: number;
}

export class ArgumentsError extends Error {
  readonly code = 'invalid_arguments';
}

export const USAGE = `usage: npm run loadtest -- --url ws://host:port/sync [--url …] --clients N --docs M --rate R --duration S
  [--token T | --auth-url http://host:port] [--slo-p99-ms X] [--slo-error-rate Y]
  [--doc-prefix P] [--connect-timeout-ms 30000] [--drain-timeout-ms 5000]

  --rate       edits per second across all clients together
  --duration   seconds of editing (after every client has synced)
  --slo-p99-ms       exit 1 when the p99 edit-to-other-client latency is above X ms
  --slo-error-rate   exit 1 when errors / attempts is above Y (0..1)
Live numbers go to stderr every second; the final report is one JSON line on stdout.`;

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

export function parseLoadTestArgs(argv: readonly string[]): LoadTestConfig {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        url: { type: 'string', multiple: true },
        clients: { type: 'string' },
        docs: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        token: { type: 'string' },
        'auth-url': { type: 'string' },
        'slo-p99-ms': { type: 'string' },
        'slo-error-rate': { type: 'string' },
        'doc-prefix': { type: 'string' },
        'connect-timeout-ms': { type: 'string' },
        'drain-timeout-ms': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new ArgumentsError(error instanceof Error ? error.message : String(error));
  }
  const problems: string[] = [];
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const num = (name: string, check: (n: number) => boolean, expected: string, fallback?: number): number => {
    const raw = str(name);
    if (raw === undefined) {
      if (fallback !== undefined) return fallback;
      problems.push(`--${name}: required (${expected})`);
      return NaN;
    }
    const n = Number(raw);
    if (!Number.isFinite(n) || !check(n)) problems.push(`--${name}: must be ${expected} (got ${JSON.stringify(raw)})`);
    return n;
  };
  const optionalNum = (name: string, check: (n: number) => boolean, expected: string) =>
    str(name) === undefined ? undefined : num(name, check, expected);

  const urls = Array.isArray(values.url) ? values.url : [];
  if (!urls.length) problems.push('--url: required (ws:// or wss:// URL of the sync endpoint)');
  for (const url of urls) {
    if (!/^wss?:\/\//.test(url)) problems.push(`--url: must start with ws:// or wss:// (got ${JSON.stringify(url)})`);
  }
  const authUrl = str('auth-url');
  if (authUrl && !/^https?:\/\//.test(authUrl)) problems.push(`--auth-url: must start with http:// or https:// (got ${JSON.stringify(authUrl)})`);
  if (authUrl && str('token')) problems.push('--token and --auth-url: give one, not both');

  const config: LoadTestConfig = {
    urls,
    clients: num('clients', (n) => Number.isInteger(n) && n >= 2, 'an integer ≥ 2'),
    docs: num('docs', (n) => Number.isInteger(n) && n >= 1, 'an integer ≥ 1'),
    ratePerSecond: num('rate', (n) => n > 0, 'a number > 0'),
    durationSeconds: num('duration', (n) => n > 0, 'a number of seconds > 0'),
    token: str('token'),
    authUrl,
    sloP99Ms: optionalNum('slo-p99-ms', (n) => n >= 0, 'a number of milliseconds ≥ 0'),
    sloErrorRate: optionalNum('slo-error-rate', (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1'),
    docPrefix: str('doc-prefix') ?? `loadtest-${Date.now().toString(36)}`,
    connectTimeoutMs: num('connect-timeout-ms', (n) => n > 0, 'milliseconds > 0', DEFAULT_CONNECT_TIMEOUT_MS),
    drainTimeoutMs: num('drain-timeout-ms', (n) => n >= 0, 'milliseconds ≥ 0', DEFAULT_DRAIN_TIMEOUT_MS),
  };
  if (Number.isInteger(config.clients) && Number.isInteger(config.docs) && config.clients < 2 * config.docs) {
    problems.push(`--clients: need at least two clients per document to measure propagation (${config.docs} docs → ≥ ${2 * config.docs} clients)`);
  }
  if (problems.length) throw new ArgumentsError(problems.join('\n'));
  return config;
}

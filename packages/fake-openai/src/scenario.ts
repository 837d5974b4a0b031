/**
 * What the fake server should do with one request. Chosen per request, first
 * match wins: the `x-fake-scenario` header, then a `+scenario` suffix on the
 * model name (`demo-model+status=429`), then the next scenario queued through
 * `FakeOpenAI.queue()` / `POST /__fake/queue`. Written as comma-separated
 * `key` or `key=value` items so it fits in a header or a model name.
 */
export interface Scenario {
  /** Answer with this HTTP error (401, 429, 500, …) and an OpenAI-style error body. */
  status?: number;
  /** Hold the response this long before the first token; -1 = forever (until the client aborts). */
  stallBeforeFirstMs?: number;
  /** After this many tokens, stop sending anything (the connection stays open). */
  stallAfterTokens?: number;
  /** After this many tokens, end the response cleanly but without the stream's terminator. */
  cutAfterTokens?: number;
  /** After this many tokens, destroy the socket (a network error for the client). */
  resetAfterTokens?: number;
  /** After this many tokens, send one chunk that is not JSON. */
  malformedAfterTokens?: number;
  /** Delay between tokens. */
  tokenDelayMs?: number;
  /** How many tokens to generate (still capped by the request's max tokens). */
  tokens?: number;
}

export class ScenarioParseError extends Error {
  readonly code = 'invalid_scenario';
}

const NUMERIC_KEYS: Record<string, keyof Scenario> = {
  status: 'status',
  'stall-first': 'stallBeforeFirstMs',
  'stall-after': 'stallAfterTokens',
  'cut-after': 'cutAfterTokens',
  'reset-after': 'resetAfterTokens',
  'malformed-after': 'malformedAfterTokens',
  delay: 'tokenDelayMs',
  tokens: 'tokens',
};

/** Parses `status=429`, `stall-first` (forever), `stall-first=200`, `delay=5,tokens=40`, … */
export function parseScenario(text: string): Scenario {
  const scenario: Scenario = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, raw] = item.split('=', 2) as [string, string | undefined];
    const field = NUMERIC_KEYS[key];
    if (!field) throw new ScenarioParseError(`unknown scenario item ${JSON.stringify(key)}; expected one of ${Object.keys(NUMERIC_KEYS).join(', ')}`);
    const value = raw === undefined ? (key === 'stall-first' ? -1 : Number.NaN) : Number(raw);
    if (!Number.isFinite(value)) throw new ScenarioParseError(`scenario item ${key} needs a number, got ${JSON.stringify(raw)}`);
    scenario[field] = value;
  }
  return scenario;
}

export function formatScenario(scenario: Scenario): string {
  const parts: string[] = [];
  for (const [key, field] of Object.entries(NUMERIC_KEYS)) {
    const value = scenario[field];
    if (value !== undefined) parts.push(`${key}=${value}`);
  }
  return parts.join(',');
}

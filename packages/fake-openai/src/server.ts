import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseScenario, ScenarioParseError, type Scenario } from './scenario.js';
import { estimateTokens, generateTokens } from './text.js';

/** What the fake saw of one request; tests assert on it (prompt layout, cancellation). */
export interface RecordedRequest {
  id: number;
  api: 'chat' | 'responses';
  model: string;
  stream: boolean;
  /** The parsed JSON body, as sent by the client. */
  body: Record<string, unknown>;
  scenario: Scenario;
  tokensSent: number;
  /** The client closed the connection before the response finished. */
  aborted: boolean;
  completed: boolean;
}

export interface FakeOpenAIOptions {
  port?: number;
  host?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
}

export interface FakeOpenAI {
  /** `http://host:port`. */
  url: string;
  /** What to pass as the SDK's `baseURL`: `${url}/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Emits 'request' (RecordedRequest) on arrival and 'aborted' / 'completed' at the end. */
  events: EventEmitter;
  /** Applies `scenario` to the next request that names none itself. */
  queue(scenario: Scenario): void;
  close(): Promise<void>;
}

/** Largest request body accepted. */
const MAX_BODY_BYTES = 1024 * 1024;
const SCENARIO_HEADER = 'x-fake-scenario';

/** Starts the fake OpenAI-compatible server (Chat Completions and Responses, streaming or not). */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();
  const queued: Scenario[] = [];
  let nextId = 1;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'server_error', error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'demo-model', object: 'model', owned_by: 'copycloud' }] });
    }
    if (req.method === 'POST' && path === '/__fake/queue') {
      const body = await readJson(req);
      try {
        queued.push(typeof body.scenario === 'string' ? parseScenario(body.scenario) : (body as Scenario));
      } catch (error) {
        return sendError(res, 400, 'invalid_scenario', (error as Error).message);
      }
      return sendJson(res, 200, { queued: queued.length });
    }
    const api = req.method === 'POST' && path === '/v1/chat/completions' ? 'chat' : req.method === 'POST' && path === '/v1/responses' ? 'responses' : null;
    if (!api) return sendError(res, 404, 'not_found', `no route ${req.method} ${path}`);
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, 'invalid_api_key', 'Incorrect API key provided.');
    }
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch (error) {
      return sendError(res, 400, 'invalid_request_error', (error as Error).message);
    }
    const rawModel = typeof body.model === 'string' ? body.model : 'demo-model';
    const [model, modelScenario] = rawModel.split('+', 2) as [string, string | undefined];
    let scenario: Scenario;
    try {
      const header = req.headers[SCENARIO_HEADER];
      scenario = typeof header === 'string' ? parseScenario(header) : modelScenario ? parseScenario(modelScenario) : (queued.shift() ?? {});
    } catch (error) {
      if (error instanceof ScenarioParseError) return sendError(res, 400, 'invalid_scenario', error.message);
      throw error;
    }
    const record: RecordedRequest = {
      id: nextId++,
      api,
      model,
      stream: body.stream === true,
      body,
      scenario,
      tokensSent: 0,
      aborted: false,
      completed: false,
    };
    requests.push(record);
    events.emit('request', record);
    res.on('close', () => {
      if (!res.writableFinished && !record.completed) {
        record.aborted = true;
        events.emit('aborted', record);
      }
    });

    if (scenario.status !== undefined) return sendUpstreamError(res, scenario.status);

    const prompt = promptText(api, body);
    const maxTokens = Number(body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens ?? Infinity);
    // The answer's own length (a scenario may ask for another), never more than the request's max tokens.
    const tokens = generateTokens(prompt, scenario.tokens).slice(0, Math.max(1, maxTokens));
    const usage = { input: estimateTokens(prompt), output: tokens.length };
    const writer = api === 'chat' ? chatWriter(model, body, usage) : responsesWriter(model, usage);

    if (!record.stream) {
      await stallBeforeFirst(scenario, res);
      if (res.destroyed) return;
      record.tokensSent = tokens.length;
      sendJson(res, 200, writer.whole(tokens.join('')));
      record.completed = true;
      events.emit('completed', record);
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    await stallBeforeFirst(scenario, res);
    for (const line of writer.start()) res.write(line);
    for (const token of tokens) {
      if (res.destroyed) return;
      const sent = record.tokensSent;
      if (scenario.stallAfterTokens === sent) return; // keep the socket open, send nothing more
      if (scenario.cutAfterTokens === sent) {
        res.end();
        return;
      }
      if (scenario.resetAfterTokens === sent) {
        res.destroy();
        return;
      }
      if (scenario.malformedAfterTokens === sent) res.write('data: {"choices": [{"delta": {"content": "oops"\n\n');
      if (scenario.tokenDelayMs && sent > 0) await delay(scenario.tokenDelayMs);
      if (res.destroyed) return;
      res.write(writer.delta(token));
      record.tokensSent++;
    }
    for (const line of writer.finish(tokens.join(''))) res.write(line);
    record.completed = true;
    res.end();
    events.emit('completed', record);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    events,
    queue: (scenario) => queued.push(scenario),
    close() {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

interface StreamWriter {
  start(): string[];
  delta(token: string): string;
  finish(text: string): string[];
  whole(text: string): unknown;
}

/** Chat Completions chunks: role chunk, content chunks, finish chunk, optional usage chunk, `[DONE]`. */
function chatWriter(model: string, body: Record<string, unknown>, usage: { input: number; output: number }): StreamWriter {
  const id = `chatcmpl-fake${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices, ...extra })}\n\n`;
  const usageObject = { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output };
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  return {
    start: () => [chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])],
    delta: (token) => chunk([{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }]),
    finish: () => [
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
      ...(includeUsage ? [chunk([], { usage: usageObject })] : []),
      'data: [DONE]\n\n',
    ],
    whole: (text) => ({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: usageObject,
    }),
  };
}

/** The Responses API event sequence, from `response.created` to `response.completed`. */
function responsesWriter(model: string, usage: { input: number; output: number }): StreamWriter {
  const id = `resp_fake${Date.now().toString(36)}`;
  const itemId = `msg_fake${Date.now().toString(36)}`;
  const createdAt = Math.floor(Date.now() / 1000);
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id,
    object: 'response',
    created_at: createdAt,
    status,
    model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    error: null,
    incomplete_details: null,
    usage: withUsage
      ? {
          input_tokens: usage.input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: usage.output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: usage.input + usage.output,
        }
      : null,
  });
  const part = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] });
  const item = (status: string, content: unknown[]) => ({ id: itemId, type: 'message', status, role: 'assistant', content });
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  return {
    start: () => [
      event('response.created', { response: response('in_progress', [], false) }),
      event('response.in_progress', { response: response('in_progress', [], false) }),
      event('response.output_item.added', { output_index: 0, item: item('in_progress', []) }),
      event('response.content_part.added', { ...at, part: part('') }),
    ],
    delta: (token) => event('response.output_text.delta', { ...at, delta: token, logprobs: [] }),
    finish: (text) => [
      event('response.output_text.done', { ...at, text, logprobs: [] }),
      event('response.content_part.done', { ...at, part: part(text) }),
      event('response.output_item.done', { output_index: 0, item: item('completed', [part(text)]) }),
      event('response.completed', { response: response('completed', [item('completed', [part(text)])], true) }),
    ],
    whole: (text) => ({ ...response('completed', [item('completed', [part(text)])], true), output_text: text }),
  };
}

/** All prompt text the client sent (system, developer and user), for the deterministic seed and usage. */
function promptText(api: 'chat' | 'responses', body: Record<string, unknown>): string {
  const pieces: string[] = [];
  const collect = (content: unknown) => {
    if (typeof content === 'string') pieces.push(content);
    else if (Array.isArray(content)) for (const part of content) collect((part as { text?: unknown }).text ?? part);
  };
  if (api === 'responses') {
    collect(body.instructions);
    if (typeof body.input === 'string') pieces.push(body.input);
    else if (Array.isArray(body.input)) for (const message of body.input) collect((message as { content?: unknown }).content);
  } else if (Array.isArray(body.messages)) {
    for (const message of body.messages) collect((message as { content?: unknown }).content);
  }
  return pieces.join('\n');
}

function sendUpstreamError(res: ServerResponse, status: number): void {
  const [type, code, message] =
    status === 401
      ? ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.']
      : status === 429
        ? ['rate_limit_error', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again in 20s.']
        : ['server_error', 'server_error', 'The server had an error while processing your request.'];
  res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '20' } : {}) });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { message, type: 'invalid_request_error', param: null, code } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Waits out `stallBeforeFirstMs`; -1 waits until the client goes away. */
async function stallBeforeFirst(scenario: Scenario, res: ServerResponse): Promise<void> {
  const ms = scenario.stallBeforeFirstMs;
  if (ms === undefined) return;
  await new Promise<void>((resolve) => {
    const timer = ms >= 0 ? setTimeout(resolve, ms) : undefined;
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

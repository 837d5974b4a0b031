import { parseAiEvent, parseAiStatus, type AiStatus, type AiStreamEvent } from './ai-events.js';
import { AiClientError, failureCodeOf } from './ai-errors.js';
import { SseParseError, SseParser } from './sse-parser.js';

/**
 * The access token AI requests carry (Authorization: Bearer). Injected, so
 * the client does not know where tokens come from (the session module);
 * null = no signed-in user.
 */
export type AiTokenSource = () => Promise<string | null>;

/** A stream that sends nothing for this long is given up (the sidecar has its own, longer, upstream timeout). */
export const STREAM_IDLE_TIMEOUT_MS = 30_000;

/** A position in the document: a base64 Yjs relative position (survives concurrent edits). */
export interface RelativeCursor {
  readonly relative: string;
}

export interface CompleteBody {
  readonly documentId: string;
  readonly cursor: RelativeCursor;
}

export type RewriteKind = 'shorter' | 'longer' | 'friendlier' | 'professional' | 'persuasive' | 'fix_grammar' | 'headlines' | 'custom';

export interface RewriteBody {
  readonly documentId: string;
  readonly selection: { readonly from: RelativeCursor; readonly to: RelativeCursor };
  readonly kind: RewriteKind;
  /** The free-text instruction, required for `custom`. */
  readonly request?: string;
  /** How many headlines `headlines` writes (2–5; the sidecar's default is 3). */
  readonly variants?: number;
}

export interface AiClient {
  status(signal?: AbortSignal): Promise<AiStatus>;
  complete(body: CompleteBody, signal: AbortSignal): AsyncGenerator<AiStreamEvent, void>;
  rewrite(body: RewriteBody, signal: AbortSignal): AsyncGenerator<AiStreamEvent, void>;
}

export interface AiClientOptions {
  /** Origin of the API, e.g. `http://127.0.0.1:8080` ('' = same origin). */
  readonly baseUrl: string;
  readonly accessToken: AiTokenSource;
  readonly fetch?: typeof fetch;
  readonly idleTimeoutMs?: number;
}

/**
 * SSE over fetch (EventSource cannot POST or send headers). Every failure is
 * an AiClientError with a code; a stream that ends without `done` or `error`
 * is `incomplete_stream`, so callers never mistake a cut answer for a whole one.
 * Aborting `signal` rejects with the signal's reason (an AbortError).
 */
export function createAiClient(options: AiClientOptions): AiClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const idleTimeoutMs = options.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS;

  async function* stream(path: string, body: unknown, signal: AbortSignal): AsyncGenerator<AiStreamEvent, void> {
    const token = await options.accessToken();
    signal.throwIfAborted();
    // One controller for the fetch: the caller's abort and our idle timeout both end it.
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, idleTimeoutMs);
    };
    try {
      armIdle();
      let response: Response;
      try {
        response = await doFetch(options.baseUrl + path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (error) {
        throw transportError(error, signal, timedOut);
      }
      if (!response.ok) throw await httpError(response);
      if (!response.body) throw new AiClientError('malformed_stream', 'the AI response had no body');

      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      let finished = false;
      try {
        for (;;) {
          let chunk: ReadableStreamReadResult<string>;
          try {
            chunk = await reader.read();
          } catch (error) {
            throw transportError(error, signal, timedOut);
          }
          if (!chunk.done) armIdle();
          let events;
          try {
            events = chunk.done ? parser.end() : parser.feed(chunk.value);
          } catch (error) {
            if (error instanceof SseParseError) throw new AiClientError('malformed_stream', error.message);
            throw error;
          }
          for (const raw of events) {
            const event = parseAiEvent(raw);
            if (!event) throw new AiClientError('malformed_stream', `unexpected ${JSON.stringify(raw.event)} event in the AI stream`);
            if (event.type === 'error') throw new AiClientError(failureCodeOf(event.code), event.message, event.retryAfterSeconds);
            yield event;
            if (event.type === 'done') {
              finished = true;
              return;
            }
          }
          if (chunk.done) break;
        }
      } finally {
        // Leaving early (done, error, the consumer stopped): release the connection.
        if (!finished) controller.abort();
        reader.releaseLock();
      }
      signal.throwIfAborted();
      throw new AiClientError('incomplete_stream', 'the AI stream ended before it was finished');
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    async status(signal) {
      let response: Response;
      try {
        response = await doFetch(options.baseUrl + '/api/ai/status', { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
      } catch (error) {
        throw transportError(error, signal, false);
      }
      if (!response.ok) throw await httpError(response);
      const status = parseAiStatus(await response.json().catch(() => null));
      if (!status) throw new AiClientError('malformed_stream', 'GET /api/ai/status answered something that is not an AI status');
      return status;
    },
    complete: (body, signal) => stream('/api/ai/complete', body, signal),
    rewrite: (body, signal) => stream('/api/ai/rewrite', body, signal),
  };
}

function transportError(error: unknown, signal: AbortSignal | undefined, timedOut: boolean): unknown {
  if (signal?.aborted) return signal.reason; // the caller's own abort: not a failure to show
  if (timedOut) return new AiClientError('timeout', 'the AI stream sent nothing for too long');
  return new AiClientError('network', error instanceof Error ? error.message : String(error));
}

/** A non-2xx answer (sent before any streaming): `{ error, message, retryAfterSeconds? }`. */
async function httpError(response: Response): Promise<AiClientError> {
  const body = (await response.json().catch(() => null)) as { error?: unknown; message?: unknown; retryAfterSeconds?: unknown } | null;
  const message = typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`;
  const header = Number(response.headers.get('retry-after'));
  const retry = typeof body?.retryAfterSeconds === 'number' ? body.retryAfterSeconds : Number.isFinite(header) && header > 0 ? header : undefined;
  if (response.status === 401) return new AiClientError('unauthorized', message);
  if (response.status === 403) return new AiClientError('forbidden', message);
  const code = typeof body?.error === 'string' ? failureCodeOf(body.error) : response.status === 503 ? 'ai_not_configured' : 'http_error';
  return new AiClientError(code, message, retry);
}

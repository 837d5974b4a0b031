import OpenAI from 'openai';
import { AiError } from '../errors.js';

/**
 * A prompt as two parts: `system` is ours alone (fixed task instructions);
 * `user` carries everything that came from documents or clients, delimited,
 * so it can only ever be data for the task, never a new system prompt.
 */
export interface Prompt {
  system: string;
  user: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export type GenerationEvent = { type: 'delta'; text: string } | { type: 'done'; usage: TokenUsage | null };

export interface GenerateOptions {
  maxOutputTokens: number;
  /** Aborted when the browser goes away or the request times out; cancels the upstream request. */
  signal: AbortSignal;
}

/** One small interface over the two OpenAI API styles. Throws AiError with an upstream_* code. */
export interface TextGenerator {
  readonly model: string;
  generate(prompt: Prompt, options: GenerateOptions): AsyncIterable<GenerationEvent>;
}

export interface OpenAIClientConfig {
  apiKey: string;
  baseURL: string | undefined;
}

export function createOpenAIClient(config: OpenAIClientConfig): OpenAI {
  return new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    // Interactive suggestions: a retry after a 429 would arrive too late to be
    // useful and hides the limit from the user; fail fast and say why.
    maxRetries: 0,
    // Our own AbortSignal bounds the request; the SDK's timeout stays out of the way.
    timeout: 10 * 60_000,
  });
}

/** Maps whatever the SDK threw to an AiError the editor can show. */
export function toAiError(error: unknown, signal: AbortSignal): AiError {
  if (error instanceof AiError) return error;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof AiError) return reason;
    return new AiError('cancelled', 'the request was cancelled', { cause: error });
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const upstream = error.message;
    if (error.status === 401 || error.status === 403)
      return new AiError('upstream_auth', `the AI provider refused our credentials (${error.status}): check OPENAI_API_KEY`, { cause: error });
    if (error.status === 429) {
      const retryAfter = Number(error.headers?.get?.('retry-after'));
      return new AiError('upstream_rate_limited', `the AI provider is rate limiting us (429); try again shortly`, {
        cause: error,
        ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
      });
    }
    if (error.status >= 500) return new AiError('upstream_unavailable', `the AI provider failed (${error.status}); try again`, { cause: error });
    return new AiError('upstream_bad_request', `the AI provider rejected the request (${error.status}): ${upstream}`, { cause: error });
  }
  if (error instanceof SyntaxError) return new AiError('upstream_malformed', 'the AI provider sent a malformed stream', { cause: error });
  if (error instanceof OpenAI.APIError) {
    // No status: a connection error, or an `error` object inside the stream.
    return new AiError('upstream_unavailable', `could not reach the AI provider: ${error.message}`, { cause: error });
  }
  return new AiError('upstream_unavailable', `the AI request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

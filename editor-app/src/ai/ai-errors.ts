import { AI_ERROR_CODES, type AiErrorCode } from '@copycloud/protocol';

/**
 * Every way an AI request can fail as the editor sees it: the sidecar's codes
 * (services/ai/src/errors.ts) plus what only the browser can observe.
 */
export type AiFailureCode = AiErrorCode | BrowserFailureCode;

/** What only the browser can observe. */
const BROWSER_FAILURE_CODES = ['network', 'timeout', 'malformed_stream', 'incomplete_stream', 'http_error'] as const;
type BrowserFailureCode = (typeof BROWSER_FAILURE_CODES)[number];

const KNOWN = new Set<string>([...AI_ERROR_CODES, ...BROWSER_FAILURE_CODES]);

export class AiClientError extends Error {
  constructor(
    readonly code: AiFailureCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AiClientError';
  }
}

/** A code from the server; unknown ones (a newer server) become `http_error` with the server's message kept. */
export function failureCodeOf(code: string): AiFailureCode {
  return KNOWN.has(code) ? (code as AiFailureCode) : 'http_error';
}

/** What the editor tells the writer: what happened, and that nothing was inserted. */
export function describeAiFailure(error: AiClientError): string {
  const retry = error.retryAfterSeconds !== undefined ? ` Try again in ${Math.max(1, Math.ceil(error.retryAfterSeconds))} s.` : ' Try again in a moment.';
  switch (error.code) {
    case 'ai_not_configured':
      return 'AI is off on this server: set OPENAI_BASE_URL or AI_PROVIDER=fake.';
    case 'rate_limited':
      return `Too many AI requests.${retry}`;
    case 'quota_exceeded':
      return `Your daily AI quota is used up. ${error.message}`;
    case 'upstream_rate_limited':
      return `The AI provider is rate limiting requests (429).${retry}`;
    case 'upstream_unavailable':
      return 'The AI provider had a server error (5xx). Nothing was inserted.';
    case 'upstream_timeout':
    case 'timeout':
      return 'The AI took too long to answer. Nothing was inserted.';
    case 'upstream_malformed':
    case 'malformed_stream':
      return 'The AI sent a garbled answer. Nothing was inserted.';
    case 'upstream_incomplete':
    case 'incomplete_stream':
      return 'The AI answer was cut off. Nothing was inserted.';
    case 'upstream_auth':
      return 'The server’s AI key was refused by the provider (check OPENAI_API_KEY).';
    case 'upstream_bad_request':
      return `The AI provider refused the request: ${error.message}`;
    case 'unauthorized':
      return 'Sign in again to use AI.';
    case 'forbidden':
      return 'You need edit access to this document to use AI.';
    case 'cursor_not_found':
      return 'Your latest edits have not reached the server yet; try again in a moment.';
    case 'document_not_found':
      return 'This document is not on the server yet; try again once it is saved.';
    case 'network':
      return 'Could not reach the AI service (offline?). Nothing was inserted.';
    case 'invalid_request':
    case 'http_error':
    case 'cancelled':
      return `AI request failed: ${error.message}`;
  }
}

/**
 * Every way an AI request can fail, as a `code` the editor switches on. The
 * first group is answered as plain HTTP errors before any streaming starts;
 * the upstream group arrives as an SSE `error` event once the stream is open.
 */
export type AiErrorCode =
  | 'ai_not_configured'
  | 'invalid_request'
  | 'document_not_found'
  | 'cursor_not_found'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'upstream_auth'
  | 'upstream_rate_limited'
  | 'upstream_unavailable'
  | 'upstream_bad_request'
  | 'upstream_timeout'
  | 'upstream_malformed'
  | 'upstream_incomplete'
  | 'cancelled';

const HTTP_STATUS: Record<AiErrorCode, number> = {
  ai_not_configured: 503,
  invalid_request: 400,
  document_not_found: 404,
  cursor_not_found: 409,
  rate_limited: 429,
  quota_exceeded: 429,
  upstream_auth: 502,
  upstream_rate_limited: 429,
  upstream_unavailable: 502,
  upstream_bad_request: 502,
  upstream_timeout: 504,
  upstream_malformed: 502,
  upstream_incomplete: 502,
  cancelled: 499,
};

export class AiError extends Error {
  readonly status: number;
  constructor(
    readonly code: AiErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.status = HTTP_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly retryAfterSeconds: number | undefined;

  toJSON(): { error: AiErrorCode; message: string; retryAfterSeconds?: number } {
    return { error: this.code, message: this.message, ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}) };
  }
}

export const NOT_CONFIGURED_MESSAGE =
  'AI is not configured on this server: set OPENAI_API_KEY (and optionally OPENAI_BASE_URL for a local model server such as Ollama or LM Studio), or AI_PROVIDER=fake for a demo model.';

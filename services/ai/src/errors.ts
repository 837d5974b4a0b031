import type { AiErrorCode as WireAiErrorCode } from '@copycloud/protocol';

/**
 * The wire codes (@copycloud/protocol) this service raises itself; 401/403
 * come from the auth middleware. The first group is answered as plain HTTP
 * errors before streaming starts; the upstream group arrives as an SSE
 * `error` event once the stream is open.
 */
export type AiErrorCode = Exclude<WireAiErrorCode, 'unauthorized' | 'forbidden'>;

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

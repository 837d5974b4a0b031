/**
 * The AI sidecar's wire contract (services/ai ⇄ editor-app): error codes,
 * the typed Server-Sent Events of `POST /api/ai/complete` and `/rewrite`
 * (SSE event name = `type`, data = the rest as JSON), and `GET /api/ai/status`.
 */

/**
 * Every way an AI request can fail, as the sidecar reports it. The first
 * group is answered as plain HTTP errors before streaming starts; the
 * upstream group arrives as an SSE `error` event once the stream is open.
 */
export const AI_ERROR_CODES = [
  'ai_not_configured',
  'invalid_request',
  'document_not_found',
  'cursor_not_found',
  'rate_limited',
  'quota_exceeded',
  'unauthorized',
  'forbidden',
  'upstream_auth',
  'upstream_rate_limited',
  'upstream_unavailable',
  'upstream_bad_request',
  'upstream_timeout',
  'upstream_malformed',
  'upstream_incomplete',
  'cancelled',
] as const;
export type AiErrorCode = (typeof AI_ERROR_CODES)[number];

export type AiStreamEvent =
  | { type: 'start'; requestId: string; model: string; demo: boolean }
  | { type: 'delta'; text: string }
  | { type: 'done'; usage: { inputTokens: number; outputTokens: number; estimated: boolean } }
  | { type: 'error'; code: string; message: string; retryAfterSeconds?: number };

/** `GET /api/ai/status` (no token needed): whether AI actions should be offered. */
export interface AiStatus {
  readonly configured: boolean;
  readonly demo: boolean;
  readonly model: string | null;
  readonly apiStyle?: 'chat' | 'responses';
  readonly message?: string;
}

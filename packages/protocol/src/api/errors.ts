/**
 * The one error body every HTTP service answers with: a machine-readable
 * `error` code, a `message` for people, and — when a request body was refused
 * — one `issues` entry per field that was wrong. Each service has its own
 * codes (`AiErrorCode`, `FilesErrorCode`, `ReviewErrorCode`, …); these two
 * are shared by all of them for the body itself.
 */
export interface ApiFieldIssue {
  /** Dotted path of the field (`selection.from`), `(body)` for the body as a whole. */
  readonly path: string;
  readonly message: string;
}

export interface ApiErrorBody {
  readonly error: string;
  readonly message: string;
  /** With `invalid_request` for a body that does not match its schema: what was wrong, per field. */
  readonly issues?: readonly ApiFieldIssue[];
  /** With rate limits, also sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;
}

/** 400: the body is not JSON or does not match the route's schema. 413: the body is over the route's byte limit. */
export type BodyErrorCode = 'invalid_request' | 'payload_too_large';

/** A request the auth service refuses, with the HTTP status it maps to (bodies are refused by @copycloud/http). */
export type AuthServiceErrorCode =
  | 'invalid_credentials'
  | 'rate_limited'
  | 'email_taken'
  | 'not_a_guest'
  | 'invalid_refresh_token'
  | 'invalid_invite'
  | 'last_owner'
  | 'not_found'
  | 'forbidden';

const STATUS: Record<AuthServiceErrorCode, 400 | 401 | 403 | 404 | 409 | 410 | 429> = {
  invalid_credentials: 401,
  rate_limited: 429,
  email_taken: 409,
  not_a_guest: 409,
  invalid_refresh_token: 401,
  invalid_invite: 410,
  last_owner: 409,
  not_found: 404,
  forbidden: 403,
};

export class AuthServiceError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 429;
  constructor(
    readonly code: AuthServiceErrorCode,
    message: string,
    readonly details?: { retryAfterSeconds?: number },
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

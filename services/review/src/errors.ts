import type { ReviewErrorCode } from '@copycloud/protocol';

/** A comment request the review service refuses, with the HTTP status it maps to. */
export class ReviewError extends Error {
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 413 | 422,
    /** One entry per invalid field, as the shared error body's `issues`. */
    readonly issues?: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

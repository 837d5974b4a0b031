export type SnapshotsErrorCode = 'document_not_found' | 'version_not_found' | 'invalid_request' | 'document_corrupt' | 'files_unavailable';

/** A request the snapshots service refuses, with the HTTP status it maps to. */
export class SnapshotsError extends Error {
  constructor(
    readonly code: SnapshotsErrorCode,
    message: string,
    readonly status: 400 | 404 | 500 | 503,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

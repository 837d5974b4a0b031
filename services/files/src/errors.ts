export type FilesErrorCode =
  | 'invalid_request'
  | 'document_not_found'
  | 'file_not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'storage_unavailable';

/** A request the files service refuses, with the HTTP status it maps to. */
export class FilesError extends Error {
  constructor(
    readonly code: FilesErrorCode,
    message: string,
    readonly status: 400 | 404 | 413 | 415 | 503,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

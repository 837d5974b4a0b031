export class DocumentNotFoundError extends Error {
  readonly code = 'document_not_found';
  constructor(readonly documentId: string) {
    super(`document ${documentId} does not exist`);
  }
}

/** A stored update or state could not be decoded; the document is unusable until repaired. */
export class CorruptDocumentError extends Error {
  readonly code = 'document_corrupt';
  constructor(
    readonly documentId: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`document ${documentId} has corrupt stored data: ${detail}`, options);
  }
}

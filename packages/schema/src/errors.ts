/** Content that does not fit the document schema (bad JSON, unknown node types). */
export class InvalidContentError extends Error {
  readonly code = 'invalid_content';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`content does not match the document schema: ${detail}`, options);
  }
}

import { customAlphabet } from 'nanoid';

/**
 * Document ids are opaque, URL-safe strings. They appear in URLs, Redis
 * channel names, log lines and SQL parameters, so they are bounded tightly:
 * letters, digits, `-` and `_`, 1 to 64 characters. No dots or slashes, so
 * `../` can never reach a path or a key namespace.
 */
export const DOCUMENT_ID_MAX_LENGTH = 64;
const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidDocumentId(value: unknown): boolean {
  return typeof value === 'string' && DOCUMENT_ID_PATTERN.test(value);
}

export class InvalidDocumentIdError extends Error {
  readonly code = 'invalid_document_id';
  constructor(value: unknown) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
    super(
      `invalid document id ${shown}: expected 1-${DOCUMENT_ID_MAX_LENGTH} characters of A-Z, a-z, 0-9, '-' or '_'`,
    );
  }
}

export function assertDocumentId(value: unknown): string {
  if (!isValidDocumentId(value)) throw new InvalidDocumentIdError(value);
  return value as string;
}

/**
 * A fresh random document id: 16 characters of A-Z, a-z, 0-9, uniformly
 * distributed (nanoid rejects the bytes a modulo would bias), ~95 bits.
 */
export const newDocumentId: () => string = customAlphabet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16);

import type { DocumentSummary } from '@copycloud/protocol';
import { isRole } from '@copycloud/protocol';
import type { KeyValueStorage } from '../sync/durability-record.js';

/**
 * The last answer of `GET /api/docs/:id` for this browser, so a reload while
 * offline still knows the document's name and the user's role (title field,
 * Share button, read-only or not). Replaced by the next answer; forgotten when
 * the API says the user has no access any more.
 */
export class DocumentSummaryCache {
  constructor(private readonly storage: KeyValueStorage) {}

  get(documentId: string): DocumentSummary | null {
    const text = this.storage.getItem(keyOf(documentId));
    if (!text) return null;
    try {
      const value = JSON.parse(text) as Partial<DocumentSummary> | null;
      if (!value || value.id !== documentId || typeof value.title !== 'string' || !isRole(value.role)) return null;
      return value as DocumentSummary;
    } catch {
      return null; // unreadable: the next answer replaces it
    }
  }

  set(summary: DocumentSummary): void {
    this.storage.setItem(keyOf(summary.id), JSON.stringify(summary));
  }

  forget(documentId: string): void {
    this.storage.setItem(keyOf(documentId), '');
  }
}

function keyOf(documentId: string): string {
  return `copycloud:document:${documentId}`;
}

import type { DocumentSummary, Role } from '@copycloud/protocol';
import type { AuthSession } from '../session/auth-session.js';

/** The documents API's shapes are the wire contract (@copycloud/protocol). */
export type { DocumentSummary } from '@copycloud/protocol';
export type DocumentRole = Role;

export async function listDocuments(session: AuthSession): Promise<DocumentSummary[]> {
  return (await session.call<{ documents: DocumentSummary[] }>('GET', '/api/docs')).documents;
}

export async function getDocument(session: AuthSession, documentId: string): Promise<DocumentSummary> {
  return (await session.call<{ document: DocumentSummary }>('GET', `/api/docs/${encodeURIComponent(documentId)}`)).document;
}

/** `PATCH /api/docs/:id`: editors and owners; the title stops following the first line. */
export async function renameDocument(session: AuthSession, documentId: string, title: string): Promise<DocumentSummary> {
  return (await session.call<{ document: DocumentSummary }>('PATCH', `/api/docs/${encodeURIComponent(documentId)}`, { title })).document;
}

export async function deleteDocument(session: AuthSession, documentId: string): Promise<void> {
  await session.call<unknown>('DELETE', `/api/docs/${encodeURIComponent(documentId)}`);
}

/** Viewers and commenters cannot change the text; one rule for both sides (@copycloud/protocol). */
export { isReadOnlyRole } from '../sync/connection-status.js';

export function documentTitle(document: Pick<DocumentSummary, 'title'>): string {
  return document.title.trim() || 'Untitled document';
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "just now", "5 minutes ago", "yesterday", then a date. */
export function relativeTime(iso: string, now: number = Date.now(), locale?: string): string {
  const at = new Date(iso).getTime();
  const elapsed = now - at;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (elapsed < MINUTE_MS) return 'just now';
  if (elapsed < HOUR_MS) return format.format(-Math.floor(elapsed / MINUTE_MS), 'minute');
  if (elapsed < DAY_MS) return format.format(-Math.floor(elapsed / HOUR_MS), 'hour');
  if (elapsed < 7 * DAY_MS) return format.format(-Math.floor(elapsed / DAY_MS), 'day');
  return new Date(at).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

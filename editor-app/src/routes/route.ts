import { isValidDocumentId } from '@copycloud/protocol';

export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'document'; readonly documentId: string }
  | { readonly name: 'invite'; readonly token: string }
  | { readonly name: 'not-found'; readonly path: string };

const DOCUMENT_PATH = /^\/d\/([^/]+)\/?$/;
/** Share-link tokens are base64url secrets (the auth API accepts 20-100 characters). */
const INVITE_PATH = /^\/invite\/([A-Za-z0-9_-]{20,100})\/?$/;

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const match = DOCUMENT_PATH.exec(pathname);
  if (match) {
    const documentId = safeDecode(match[1] ?? '');
    if (documentId !== null && isValidDocumentId(documentId)) return { name: 'document', documentId };
  }
  const invite = INVITE_PATH.exec(pathname);
  if (invite?.[1]) return { name: 'invite', token: invite[1] };
  return { name: 'not-found', path: pathname };
}

export function documentPath(documentId: string): string {
  return `/d/${encodeURIComponent(documentId)}`;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null; // malformed %-escape: not a document path
  }
}

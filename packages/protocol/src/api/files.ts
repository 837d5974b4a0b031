/**
 * Files (images) of a document: the URL an image node's `src` holds and what
 * an upload answers. The URL is the app's own path, stable for the life of
 * the file; reading it needs a bearer access token with a role on the
 * document (services/files).
 */

/** A stored file's id: a random UUID and the extension of its sniffed type. */
export const FILE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(?:png|jpg|gif|webp)$/;
const APP_FILE_PATH = /^\/api\/docs\/([A-Za-z0-9_-]{1,64})\/files\/([^/?#]+)$/;
const MAX_FILE_URL_LENGTH = 512;

export function isValidFileId(value: unknown): value is string {
  return typeof value === 'string' && FILE_ID_PATTERN.test(value);
}

/** The path of a stored file, as an image's `src` holds it: `/api/docs/{documentId}/files/{fileId}`. */
export function appFileUrl(documentId: string, fileId: string): string {
  return `/api/docs/${documentId}/files/${fileId}`;
}

/** `{documentId, fileId}` of an app file URL (a path, or absolute http(s) on any origin); null for anything else (data:, other paths, queries). */
export function parseAppFileUrl(src: unknown): { documentId: string; fileId: string } | null {
  if (typeof src !== 'string' || src.length > MAX_FILE_URL_LENGTH) return null;
  let path = src;
  if (!src.startsWith('/')) {
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      return null;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) return null;
    path = url.pathname;
  }
  const match = APP_FILE_PATH.exec(path);
  if (!match || !isValidFileId(match[2])) return null;
  return { documentId: match[1]!, fileId: match[2]! };
}

export function isAppFileUrl(src: unknown): boolean {
  return parseAppFileUrl(src) !== null;
}

/** Image types an upload may be (checked by magic bytes; SVG is refused). */
export const UPLOAD_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** `POST /api/docs/:id/files` → 201 `{ file }`. */
export interface UploadedFile {
  id: string;
  /** What the image node's `src` should hold. */
  url: string;
  contentType: UploadContentType;
  bytes: number;
  width: number;
  height: number;
}

/** Error codes of the files routes (`{ error, message }` bodies), besides the auth ones (401/403/404). */
export type FilesErrorCode = 'invalid_request' | 'document_not_found' | 'file_not_found' | 'payload_too_large' | 'unsupported_media_type' | 'storage_unavailable';

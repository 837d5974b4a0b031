import { UPLOAD_CONTENT_TYPES, type UploadedFile } from '@copycloud/protocol';

/** The server's default limit (services/files `DEFAULT_MAX_UPLOAD_BYTES`); the server has the last word. */
export const MAX_IMAGE_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Why an image did not make it into the document, said the way the person can act on it. */
export class ImageUploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImageUploadError';
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

/** Checked before sending (the server checks again, by the file's first bytes). */
export function checkImageFile(file: { readonly name: string; readonly type: string; readonly size: number }, maxBytes = MAX_IMAGE_UPLOAD_BYTES): ImageUploadError | null {
  if (file.type === 'image/svg+xml') return new ImageUploadError('unsupported_media_type', `${file.name}: SVG images are not accepted (they can carry scripts); use PNG, JPEG, GIF or WebP.`);
  if (!(UPLOAD_CONTENT_TYPES as readonly string[]).includes(file.type)) {
    return new ImageUploadError('unsupported_media_type', `${file.name || 'This file'} is not an image this editor accepts (${file.type || 'unknown type'}); use PNG, JPEG, GIF or WebP.`);
  }
  if (file.size === 0) return new ImageUploadError('invalid_request', `${file.name} is empty.`);
  if (file.size > maxBytes) return new ImageUploadError('payload_too_large', `${file.name} is ${megabytes(file.size)}; images can be at most ${megabytes(maxBytes)}.`);
  return null;
}

/** The error for a failed `POST /api/docs/:id/files`, from its status and `{ error, message }` body. */
export function uploadFailure(fileName: string, status: number, body: unknown): ImageUploadError {
  const detail = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown };
  const code = typeof detail.error === 'string' ? detail.error : `http_${status}`;
  const serverSays = typeof detail.message === 'string' ? ` (${detail.message})` : '';
  switch (status) {
    case 0:
      return new ImageUploadError('network', `${fileName} could not be uploaded: no connection to the server. Try again when you are online.`);
    case 401:
      return new ImageUploadError(code, `${fileName} could not be uploaded: your session has expired. Reload the page and try again.`);
    case 403:
      return new ImageUploadError(code, `${fileName} could not be uploaded: only editors can add images to this document.`);
    case 404:
      return new ImageUploadError(code, `${fileName} could not be uploaded: the document was not found.`);
    case 413:
      return new ImageUploadError(code, `${fileName} is too large to upload${serverSays}.`);
    case 415:
      return new ImageUploadError(code, `${fileName} is not an image this editor accepts${serverSays}; use PNG, JPEG, GIF or WebP.`);
    case 503:
      return new ImageUploadError(code, `${fileName} could not be uploaded: file storage is unavailable right now. Try again in a moment.`);
    default:
      return new ImageUploadError(code, `${fileName} could not be uploaded (${status})${serverSays}.`);
  }
}

/** The `{ file }` of a 201 answer, checked before its URL goes into the document. */
export function uploadedFileOf(body: unknown): UploadedFile {
  const file = (body as { file?: Partial<UploadedFile> } | null)?.file;
  if (!file || typeof file.url !== 'string' || typeof file.id !== 'string' || !file.url.startsWith('/api/docs/')) {
    throw new ImageUploadError('bad_response', `the server answered the upload without a file URL (saw ${JSON.stringify(body)?.slice(0, 200)})`);
  }
  return file as UploadedFile;
}

/** Upload progress as a whole percentage (0 until the size is known). */
export function progressPercent(loaded: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.floor((loaded / total) * 100)));
}

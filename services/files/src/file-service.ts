import { randomUUID } from 'node:crypto';
import { appFileUrl, isValidDocumentId, isValidFileId, type UploadContentType, type UploadedFile } from '@copycloud/protocol';
import { FilesError } from './errors.js';
import { contentTypeOfFileId, sniffImage } from './image-type.js';
import { fileKey, type FileStorage } from './storage.js';

export interface StoredFile {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * Uploads and reads of a document's files, behind the role checks of the
 * routes. A file is immutable: its id is new for every upload, so a URL
 * always names the same bytes (restores and old versions keep their images).
 */
export class FileService {
  constructor(private readonly deps: { storage: FileStorage; maxUploadBytes: number }) {}

  get maxUploadBytes(): number {
    return this.deps.maxUploadBytes;
  }

  /** Checks `bytes` (size, type by magic bytes, dimensions) before anything is written, then stores them under a new id. */
  async upload(documentId: string, bytes: Uint8Array): Promise<UploadedFile> {
    if (!isValidDocumentId(documentId)) throw new FilesError('document_not_found', `document ${documentId.slice(0, 80)} not found`, 404);
    if (bytes.byteLength === 0) throw new FilesError('invalid_request', 'the body is empty: send the image file as the request body', 400);
    if (bytes.byteLength > this.deps.maxUploadBytes) {
      throw new FilesError('payload_too_large', `file is ${bytes.byteLength} bytes, the limit is ${this.deps.maxUploadBytes}`, 413);
    }
    const sniffed = sniffImage(bytes);
    if (!sniffed.ok) throw new FilesError('unsupported_media_type', sniffed.reason, 415);
    const { image } = sniffed;
    const id = `${randomUUID()}.${image.extension}`;
    try {
      await this.deps.storage.put(fileKey(documentId, id), bytes, image.contentType);
    } catch (error) {
      throw new FilesError('storage_unavailable', 'the file store did not accept the file; nothing was stored, try again', 503, { cause: error });
    }
    return {
      id,
      url: appFileUrl(documentId, id),
      contentType: image.contentType as UploadContentType,
      bytes: bytes.byteLength,
      width: image.width,
      height: image.height,
    };
  }

  /** The file, or null when the id is malformed or names nothing stored for this document. */
  async read(documentId: string, fileId: string): Promise<StoredFile | null> {
    if (!isValidDocumentId(documentId) || !isValidFileId(fileId)) return null;
    const contentType = contentTypeOfFileId(fileId);
    if (contentType === null) return null;
    let bytes: Uint8Array | null;
    try {
      bytes = await this.deps.storage.get(fileKey(documentId, fileId));
    } catch (error) {
      throw new FilesError('storage_unavailable', 'the file store cannot be reached; try again', 503, { cause: error });
    }
    return bytes === null ? null : { bytes, contentType };
  }
}

import type { UploadedFile } from '@copycloud/protocol';
import { ImageUploadError, uploadedFileOf, uploadFailure } from './upload-rules.js';

export interface UploadImageOptions {
  readonly documentId: string;
  readonly file: File;
  readonly accessToken: string;
  /** Bytes sent so far of `total`. */
  readonly onProgress: (loaded: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * `POST /api/docs/:id/files` with the file itself as the body. XHR rather
 * than fetch: fetch reports no upload progress.
 */
export function uploadImage({ documentId, file, accessToken, onProgress, signal }: UploadImageOptions): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/docs/${encodeURIComponent(documentId)}/files`);
    xhr.setRequestHeader('authorization', `Bearer ${accessToken}`);
    xhr.setRequestHeader('content-type', file.type);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 201) {
        try {
          resolve(uploadedFileOf(xhr.response));
        } catch (error) {
          reject(error);
        }
        return;
      }
      reject(uploadFailure(file.name, xhr.status, xhr.response));
    };
    xhr.onerror = () => reject(uploadFailure(file.name, 0, null));
    xhr.onabort = () => reject(new ImageUploadError('aborted', `${file.name}: upload cancelled.`));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

import { UPLOAD_CONTENT_TYPES } from '@copycloud/protocol';
import { uploadImage } from '../images/upload-image.js';
import { checkImageFile, progressPercent } from '../images/upload-rules.js';
import type { UploadStore } from '../images/upload-store.js';
import type { DroppedImage, ImageToUpload } from './clean-pasted-html.js';

export interface PastedImageUploaderOptions {
  readonly documentId: string;
  readonly accessToken: () => Promise<string | null>;
  /** The image upload strip's store: progress and failures show where those of pasted files do. */
  readonly store: UploadStore;
  readonly fetchFn?: typeof fetch;
}

/** What a pasted image is called in the upload strip: its file name, or the site it came from. */
export function pastedImageName(src: string, type = ''): string {
  const extension = type.startsWith('image/') ? type.slice('image/'.length).replace('jpeg', 'jpg') : 'png';
  if (!/^https?:/i.test(src)) return `pasted-image.${extension}`;
  try {
    const url = new URL(src);
    const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    return /\.(png|jpe?g|gif|webp)$/i.test(last) ? last : `image from ${url.hostname}`;
  } catch {
    return `pasted-image.${extension}`;
  }
}

function hostOf(src: string): string {
  try {
    return new URL(src).hostname;
  } catch {
    return 'its site';
  }
}

/**
 * Images that arrive inside pasted HTML. Like Google Docs, which copies a
 * pasted picture into its own storage rather than linking to the original,
 * the document only ever holds the app's file URL: the browser reads the
 * bytes (a data: or blob: URL, or an http(s) image whose site allows
 * cross-origin reads) and uploads them as a picked file would be. An image
 * the browser cannot read (the site refuses CORS, Word's local temp files)
 * is left out, and the upload strip says so and what to do instead.
 */
export class PastedImageUploader {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: PastedImageUploaderOptions) {
    this.fetchFn = options.fetchFn ?? ((...args) => fetch(...args));
  }

  /** Resolves to the app file URL the server answered, or null when the image was left out (the strip says why). */
  async upload(image: ImageToUpload): Promise<string | null> {
    const { store, documentId } = this.options;
    let blob: Blob | null;
    try {
      blob = await this.read(image);
    } catch (error) {
      store.fail(null, pastedImageName(image.src), `A pasted image was left out: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
    if (!blob) return null;
    const name = pastedImageName(image.src, blob.type);
    const file = new File([blob], name, { type: blob.type });
    const refused = checkImageFile(file);
    if (refused) {
      store.fail(null, name, `A pasted image was left out: ${refused.message}`);
      return null;
    }
    const id = store.start(name);
    try {
      const token = await this.options.accessToken();
      if (!token) throw new Error(`${name} could not be uploaded: you are not signed in.`);
      const uploaded = await uploadImage({ documentId, file, accessToken: token, onProgress: (loaded, total) => store.progress(id, progressPercent(loaded, total)) });
      store.done(id);
      return uploaded.url;
    } catch (error) {
      store.fail(id, name, error instanceof Error ? error.message : String(error));
      return null;
    }
  }

  /** Says which pasted images were left out because no browser can read them. */
  reportDropped(dropped: readonly DroppedImage[]): void {
    if (dropped.length === 0) return;
    const fromWord = dropped.some((image) => /^file:/i.test(image.src));
    const count = dropped.length === 1 ? 'An image' : `${dropped.length} images`;
    const why = fromWord
      ? 'Word keeps pasted pictures in local files the browser cannot read. Copy each picture on its own and paste it, or add it with the image button.'
      : 'the browser cannot read where they are stored. Save them and add them with the image button.';
    this.options.store.fail(null, 'pasted images', `${count} in the pasted text ${dropped.length === 1 ? 'was' : 'were'} left out: ${why}`);
  }

  private async read(image: ImageToUpload): Promise<Blob | null> {
    const { store } = this.options;
    const remote = /^https?:/i.test(image.src);
    let response: Response;
    try {
      // No cookies and no referrer: the original site learns nothing about who pasted its picture.
      response = await this.fetchFn(image.src, remote ? { mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' } : {});
    } catch {
      // A CORS refusal and a network failure look the same to a page: a TypeError with no detail.
      const where = remote ? hostOf(image.src) : 'the clipboard';
      store.fail(null, pastedImageName(image.src), `An image from ${where} was left out: ${remote ? 'that site does not let other pages copy its images' : 'its data could not be read'}. Save the image and add it with the image button.`);
      return null;
    }
    if (!response.ok) {
      store.fail(null, pastedImageName(image.src), `An image from ${hostOf(image.src)} was left out: the site answered ${response.status}. Save the image and add it with the image button.`);
      return null;
    }
    const blob = await response.blob();
    // Some sites send images as application/octet-stream; the server checks the bytes anyway.
    const type = (UPLOAD_CONTENT_TYPES as readonly string[]).includes(blob.type) ? blob.type : sniffImageType(new Uint8Array(await blob.slice(0, 12).arrayBuffer()));
    return type === blob.type ? blob : new Blob([blob], { type });
  }
}

/** The image type from a file's first bytes, or '' when it is none the app takes. */
export function sniffImageType(head: Uint8Array): string {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && head[8] === 0x57 && head[9] === 0x45 && head[10] === 0x42 && head[11] === 0x50) return 'image/webp';
  return '';
}

import type { Editor } from '@tiptap/core';
import { IMAGE_NODE } from '@copycloud/schema/extensions';
import { uploadImage } from './upload-image.js';
import { checkImageFile, ImageUploadError, progressPercent } from './upload-rules.js';
import type { UploadStore } from './upload-store.js';

export interface ImageUploaderOptions {
  readonly documentId: string;
  readonly accessToken: () => Promise<string | null>;
  readonly store: UploadStore;
}

/**
 * Pasted, dropped or picked images: each is checked, uploaded with its
 * progress in the store, and inserted as an image node holding the URL the
 * server answered (never a data: URL) where the cursor is when it lands.
 */
export class ImageUploader {
  constructor(private readonly options: ImageUploaderOptions) {}

  /** Image files among `files` (a paste or a drop may carry others). */
  static imagesIn(files: FileList | readonly File[] | null | undefined): File[] {
    return [...(files ?? [])].filter((file) => file.type.startsWith('image/'));
  }

  async uploadAll(editor: Editor, files: readonly File[]): Promise<void> {
    await Promise.all(files.map((file) => this.uploadOne(editor, file)));
  }

  private async uploadOne(editor: Editor, file: File): Promise<void> {
    const { store, documentId } = this.options;
    const refused = checkImageFile(file);
    if (refused) {
      store.fail(null, file.name, refused.message);
      return;
    }
    const id = store.start(file.name);
    try {
      const token = await this.options.accessToken();
      if (!token) throw new ImageUploadError('unauthorized', `${file.name} could not be uploaded: you are not signed in.`);
      const uploaded = await uploadImage({ documentId, file, accessToken: token, onProgress: (loaded, total) => store.progress(id, progressPercent(loaded, total)) });
      if (editor.isDestroyed) return;
      editor
        .chain()
        .focus()
        .insertContent({ type: IMAGE_NODE, attrs: { src: uploaded.url, alt: '' } })
        .run();
      store.done(id);
    } catch (error) {
      store.fail(id, file.name, error instanceof Error ? error.message : String(error));
    }
  }
}

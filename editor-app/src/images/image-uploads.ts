import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { IMAGE_NODE } from '@copycloud/schema/extensions';
import type { AuthenticatedImageSources } from './image-sources.js';
import { DocumentImageView } from './image-node-view.js';
import { ImageUploader } from './image-uploader.js';

export interface ImageUploadsOptions {
  readonly uploader: ImageUploader | null;
  readonly sources: AuthenticatedImageSources | null;
}

/**
 * Images in the editor: a paste or a drop carrying image files uploads them
 * (ImageUploader), and every image node is drawn by DocumentImageView
 * through an authenticated blob: URL.
 */
export const ImageUploads = Extension.create<ImageUploadsOptions>({
  name: 'imageUploads',

  addOptions() {
    return { uploader: null, sources: null };
  },

  addProseMirrorPlugins() {
    const { uploader, sources } = this.options;
    const editor = this.editor;
    return [
      new Plugin({
        key: new PluginKey('imageUploads'),
        props: {
          handlePaste: (view, event) => {
            const files = ImageUploader.imagesIn(event.clipboardData?.files);
            if (!uploader || files.length === 0 || !view.editable) return false;
            void uploader.uploadAll(editor, files);
            return true;
          },
          handleDrop: (view, event, _slice, moved) => {
            const files = moved ? [] : ImageUploader.imagesIn(event.dataTransfer?.files);
            if (!uploader || files.length === 0 || !view.editable) return false;
            event.preventDefault();
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
            if (at) editor.commands.setTextSelection(at.pos);
            void uploader.uploadAll(editor, files);
            return true;
          },
          nodeViews: sources ? { [IMAGE_NODE]: (node, view, getPos) => new DocumentImageView(node, view, getPos, sources) } : {},
        },
      }),
    ];
  },
});

import { useEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import type { Editor } from '@tiptap/react';
import { UPLOAD_CONTENT_TYPES } from '@copycloud/protocol';
import type { ImageUploader } from './image-uploader.js';
import type { UploadStore } from './upload-store.js';
import './images.css';

export interface ImageUploadsStripProps {
  readonly editor: Editor;
  readonly uploader: ImageUploader;
  readonly store: UploadStore;
  /** Set to "open the file picker" (the slash menu's and toolbar's Image). */
  readonly pickImageRef: RefObject<() => void>;
}

/** The hidden file picker, and a strip with each upload's progress and each failure (until dismissed). */
export function ImageUploadsStrip({ editor, uploader, store, pickImageRef }: ImageUploadsStripProps) {
  const entries = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    pickImageRef.current = () => input.current?.click();
    return () => {
      pickImageRef.current = () => {};
    };
  }, [pickImageRef]);

  return (
    <>
      <input
        ref={input}
        type="file"
        accept={UPLOAD_CONTENT_TYPES.join(',')}
        multiple
        hidden
        data-testid="image-file-input"
        onChange={(event) => {
          // Every picked file: one the editor cannot take is refused with a message, not ignored.
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          void uploader.uploadAll(editor, files);
        }}
      />
      {entries.length > 0 && (
        <ul className="image-uploads" data-testid="image-uploads" aria-label="Image uploads">
          {entries.map((entry) =>
            entry.state === 'uploading' ? (
              <li key={entry.id} className="image-uploads__item" data-testid="image-upload-progress">
                <span>Uploading {entry.fileName}</span>
                <progress max={100} value={entry.percent} aria-label={`Uploading ${entry.fileName}`}>
                  {entry.percent}%
                </progress>
              </li>
            ) : (
              <li key={entry.id} className="image-uploads__item image-uploads__item--failed" role="alert" data-testid="image-upload-error">
                <span>{entry.error}</span>
                <button type="button" className="button" onClick={() => store.dismiss(entry.id)} aria-label={`Dismiss: ${entry.fileName}`}>
                  Dismiss
                </button>
              </li>
            ),
          )}
        </ul>
      )}
    </>
  );
}

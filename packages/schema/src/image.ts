import Image from '@tiptap/extension-image';

export { FILE_ID_PATTERN, appFileUrl, isAppFileUrl, parseAppFileUrl } from '@copycloud/protocol';

/**
 * Images in a document point at the app's own file storage, never at a
 * data: URL or another site: `/api/docs/{documentId}/files/{fileId}` (what
 * `POST /api/docs/:id/files` answers as `url`; helpers in
 * @copycloud/protocol). The document stays small (no base64 in the Yjs
 * log), reading an image is checked by document role, and export can embed
 * the bytes. Browser-safe.
 */
export const IMAGE_NODE = 'image';

/**
 * The image node: a block (not inline, so export lays it out on its own
 * line), `src` / `alt` / `title` / `width` / `height` attributes. base64 is
 * refused when HTML is parsed (`allowBase64: false`); export drops images
 * whose `src` is not an app file URL (`withAppImagesOnly`).
 */
export const DocumentImage = Image.configure({ inline: false, allowBase64: false });

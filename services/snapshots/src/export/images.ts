import { parseAppFileUrl } from '@copycloud/protocol';
import { fileKey, sniffImage, type FileStorage, type ImageType } from '@copycloud/files';
import type { JSONContent } from '@copycloud/schema';

/** An image's bytes for embedding, with what its header says. */
export interface EmbeddedImage {
  bytes: Uint8Array;
  type: ImageType;
  width: number;
  height: number;
}

/** Images of one export by their `src`; a missing entry is exported as its alt text. */
export type ImageMap = ReadonlyMap<string, EmbeddedImage>;

/** Upper bound on images read for one export (each is at most the upload limit). */
export const MAX_EXPORT_IMAGES = 200;

/**
 * Reads the images a document shows, for DOCX and PDF export. Only files of
 * the exported document itself are read (an image URL pointing at another
 * document is exported as its alt text: the caller's role was checked on
 * this document only), each at most once, and only through the file store.
 */
export async function loadDocumentImages(content: JSONContent, documentId: string, storage: FileStorage | null): Promise<ImageMap> {
  const images = new Map<string, EmbeddedImage>();
  if (!storage) return images;
  const wanted = new Map<string, string>();
  const walk = (node: JSONContent) => {
    if (node.type === 'image') {
      const src = node.attrs?.['src'];
      const parsed = parseAppFileUrl(src);
      if (parsed && parsed.documentId === documentId && wanted.size < MAX_EXPORT_IMAGES) wanted.set(src as string, parsed.fileId);
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(content);
  await Promise.all(
    [...wanted].map(async ([src, fileId]) => {
      const bytes = await storage.get(fileKey(documentId, fileId));
      if (!bytes) return;
      const sniffed = sniffImage(bytes);
      if (sniffed.ok) images.set(src, { bytes, type: sniffed.image.type, width: sniffed.image.width, height: sniffed.image.height });
    }),
  );
  return images;
}

/** `width`×`height` scaled down (never up) to fit `maxWidth`×`maxHeight`, aspect kept. */
export function fitWithin(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** What stands in for an image that cannot be embedded. */
export function imagePlaceholder(node: JSONContent): string {
  const alt = typeof node.attrs?.['alt'] === 'string' && node.attrs['alt'].trim() ? node.attrs['alt'].trim() : 'image';
  return `[${alt}]`;
}

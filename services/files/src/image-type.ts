import { imageSize } from 'image-size';

/** The image types an upload may be: what browsers, DOCX and (PNG/JPEG) PDF can show without conversion. */
export const IMAGE_TYPES = {
  png: { contentType: 'image/png', extension: 'png' },
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  gif: { contentType: 'image/gif', extension: 'gif' },
  webp: { contentType: 'image/webp', extension: 'webp' },
} as const;
export type ImageType = keyof typeof IMAGE_TYPES;

export interface SniffedImage {
  type: ImageType;
  contentType: string;
  extension: string;
  width: number;
  height: number;
}

export type SniffResult = { ok: true; image: SniffedImage } | { ok: false; reason: string; svg: boolean };

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/** The type named by the file's first bytes (magic numbers); the client's Content-Type is never trusted. */
export function magicType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  return null;
}

/** Looks like SVG (or any XML/HTML): refused with its own message. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<?xml') || head.startsWith('<svg') || head.startsWith('<!doctype') || head.startsWith('<html') || head.includes('<svg');
}

/** Largest width or height accepted (a 1×100000 PNG is a decompression bomb for a viewer, not a picture). */
export const MAX_IMAGE_DIMENSION_PX = 20_000;

/**
 * Checks that `bytes` are a PNG, JPEG, GIF or WebP by their magic numbers
 * and that their header parses with sane dimensions. SVG is refused: see
 * the service README (an SVG is a script-capable document, not a picture).
 */
export function sniffImage(bytes: Uint8Array): SniffResult {
  const type = magicType(bytes);
  if (type === null) {
    if (looksLikeMarkup(bytes)) {
      return { ok: false, svg: true, reason: 'SVG is not accepted (it can carry scripts); upload a PNG, JPEG, GIF or WebP' };
    }
    return { ok: false, svg: false, reason: 'not a PNG, JPEG, GIF or WebP image (checked by its first bytes)' };
  }
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch (error) {
    return { ok: false, svg: false, reason: `a ${type} header that does not parse (${error instanceof Error ? error.message : String(error)})` };
  }
  const { width, height } = size;
  if (!width || !height || width > MAX_IMAGE_DIMENSION_PX || height > MAX_IMAGE_DIMENSION_PX) {
    return { ok: false, svg: false, reason: `image dimensions ${width ?? '?'}×${height ?? '?'} must be 1-${MAX_IMAGE_DIMENSION_PX} px` };
  }
  return { ok: true, image: { type, ...IMAGE_TYPES[type], width, height } };
}

/** Content type of a stored file, from the extension its id ends with. */
export function contentTypeOfFileId(fileId: string): string | null {
  const extension = fileId.slice(fileId.lastIndexOf('.') + 1);
  for (const entry of Object.values(IMAGE_TYPES)) if (entry.extension === extension) return entry.contentType;
  return null;
}

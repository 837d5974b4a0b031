import type { Database } from '@copycloud/db';
import type { FileStorage } from '@copycloud/files';
import { exportContent, isExportFormat, withAppImagesOnly, withCommentsAppendix, type ExportFormat, type JSONContent } from '@copycloud/schema';
import { SnapshotsError } from '../errors.js';
import type { History } from '../history.js';
import { toDocx } from './docx.js';
import { loadDocumentImages } from './images.js';
import { toPdf } from './pdf.js';

export type DownloadFormat = ExportFormat | 'docx' | 'pdf';
export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = ['md', 'html', 'docx', 'pdf'];

export function isDownloadFormat(value: unknown): value is DownloadFormat {
  return isExportFormat(value) || value === 'docx' || value === 'pdf';
}

export interface Download {
  body: string | Uint8Array;
  contentType: string;
  /** The file name a browser saves it as: the document's title and the format's extension. */
  fileName: string;
}

const TITLE_MAX_CHARS = 100;

/** A file name from a document title: no path separators or control characters, at most 100 characters, "Untitled" when empty. */
export function fileNameOf(title: string, suffix: string, extension: string): string {
  const cleaned = Array.from(title.replace(/[\p{Cc}\p{Cf}\u2028\u2029/\\:*?"<>|]+/gu, ' ').replace(/\s+/gu, ' ').trim())
    .slice(0, TITLE_MAX_CHARS)
    .join('')
    .replace(/^[.\s]+/u, '')
    .trim();
  return `${cleaned || 'Untitled'}${suffix}.${extension}`;
}

/** `Content-Disposition: attachment` with an ASCII `filename` for old clients and the exact name in `filename*` (RFC 6266 / 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Export of the current document or one of its versions in every format,
 * named after the document's title. DOCX and PDF embed the document's own
 * images, read from the file store (without one, images export as their alt text).
 */
export class Exporter {
  constructor(private readonly deps: { history: History; db: Database; files: FileStorage | null }) {}

  /** With `comments` (Markdown and HTML only), the comment threads follow the text as an appendix. */
  async current(documentId: string, format: DownloadFormat, options: { comments?: boolean } = {}): Promise<Download> {
    const content = await this.deps.history.currentContent(documentId);
    const download = await this.render(documentId, content, format, '');
    if (!options.comments) return download;
    if (format !== 'md' && format !== 'html') throw new SnapshotsError('invalid_request', 'comments can be exported with md and html only', 400);
    return { ...download, body: withCommentsAppendix(String(download.body), await this.deps.history.currentThreads(documentId), format) };
  }

  async version(documentId: string, versionId: string, format: DownloadFormat): Promise<Download> {
    const { content } = await this.deps.history.get(documentId, versionId);
    return this.render(documentId, content, format, ` (version ${versionId})`);
  }

  private async title(documentId: string): Promise<string> {
    const { rows } = await this.deps.db.query<{ title: string }>('SELECT title FROM documents WHERE id = $1', [documentId]);
    return rows[0]?.title ?? '';
  }

  private async render(documentId: string, json: JSONContent, format: DownloadFormat, suffix: string): Promise<Download> {
    const title = await this.title(documentId);
    if (format === 'md' || format === 'html') {
      const exported = exportContent(json, format);
      return { body: exported.body, contentType: exported.contentType, fileName: fileNameOf(title, suffix, exported.extension) };
    }
    const content = withAppImagesOnly(json);
    let images;
    try {
      images = await loadDocumentImages(content, documentId, this.deps.files);
    } catch (error) {
      throw new SnapshotsError('files_unavailable', 'the file store cannot be reached to embed images; try again', 503, { cause: error });
    }
    const options = { title: title || 'Untitled', images };
    switch (format) {
      case 'docx':
        return {
          body: await toDocx(content, options),
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          fileName: fileNameOf(title, suffix, 'docx'),
        };
      case 'pdf':
        return { body: await toPdf(content, options), contentType: 'application/pdf', fileName: fileNameOf(title, suffix, 'pdf') };
      default: {
        const unreachable: never = format;
        throw new Error(`unknown format ${String(unreachable)}`);
      }
    }
  }
}

import type { JSONContent } from '@tiptap/core';
import { generateHTML, generateJSON } from '@tiptap/html/server';
import { MarkdownManager } from '@tiptap/markdown';
import { documentExtensions } from './extensions.js';
import { IMAGE_NODE, isAppFileUrl } from './image.js';
import { parseContent } from './yjs-content.js';

export type ExportFormat = 'html' | 'md';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['html', 'md'];

export function isExportFormat(value: unknown): value is ExportFormat {
  return value === 'html' || value === 'md';
}

let markdown: MarkdownManager | undefined;
function markdownManager(): MarkdownManager {
  markdown ??= new MarkdownManager({ extensions: documentExtensions() });
  return markdown;
}

/**
 * The content without images whose `src` is not an app file URL (data:,
 * other sites): such an image can only come from a client that bypassed the
 * editor's upload, and export must neither carry base64 blobs nor fetch
 * third-party URLs. Returns the same object when nothing was dropped.
 */
export function withAppImagesOnly(json: JSONContent): JSONContent {
  let changed = false;
  const visit = (node: JSONContent): JSONContent | null => {
    if (node.type === IMAGE_NODE && !isAppFileUrl(node.attrs?.['src'])) {
      changed = true;
      return null;
    }
    if (!node.content) return node;
    const content = node.content.map(visit).filter((child): child is JSONContent => child !== null);
    return content.length === node.content.length && content.every((c, i) => c === node.content![i]) ? node : { ...node, content };
  };
  const result = visit(json) ?? { type: 'doc', content: [] };
  return changed ? result : json;
}

/** HTML of the content, rendered with the editor's own schema (happy-dom stands in for the browser DOM). */
export function toHTML(json: JSONContent): string {
  const safe = withAppImagesOnly(json);
  parseContent(safe);
  return generateHTML(safe, documentExtensions());
}

/** Markdown of the content, through each extension's own Markdown rules (@tiptap/markdown). */
export function toMarkdown(json: JSONContent): string {
  const safe = withAppImagesOnly(json);
  parseContent(safe);
  return markdownManager().serialize(safe);
}

export function fromMarkdown(source: string): JSONContent {
  return markdownManager().parse(source);
}

export function fromHTML(html: string): JSONContent {
  return generateJSON(html, documentExtensions()) as JSONContent;
}

export function exportContent(json: JSONContent, format: ExportFormat): { body: string; contentType: string; extension: string } {
  switch (format) {
    case 'html':
      return { body: toHTML(json), contentType: 'text/html; charset=utf-8', extension: 'html' };
    case 'md':
      return { body: toMarkdown(json), contentType: 'text/markdown; charset=utf-8', extension: 'md' };
    default: {
      const unreachable: never = format;
      throw new Error(`unknown export format ${String(unreachable)}`);
    }
  }
}

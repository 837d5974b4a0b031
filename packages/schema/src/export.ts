import type { JSONContent } from '@tiptap/core';
import { generateHTML, generateJSON } from '@tiptap/html/server';
import { MarkdownManager } from '@tiptap/markdown';
import { documentExtensions } from './extensions.js';
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

/** HTML of the content, rendered with the editor's own schema (happy-dom stands in for the browser DOM). */
export function toHTML(json: JSONContent): string {
  parseContent(json);
  return generateHTML(json, documentExtensions());
}

/** Markdown of the content, through each extension's own Markdown rules (@tiptap/markdown). */
export function toMarkdown(json: JSONContent): string {
  parseContent(json);
  return markdownManager().serialize(json);
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

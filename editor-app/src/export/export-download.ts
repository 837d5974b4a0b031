/** The formats `GET /api/docs/:id/export?format=` answers (services/snapshots). */
export const EXPORT_FORMATS = [
  { format: 'md', label: 'Markdown', extension: 'md' },
  { format: 'html', label: 'HTML', extension: 'html' },
  { format: 'docx', label: 'Word (DOCX)', extension: 'docx' },
  { format: 'pdf', label: 'PDF', extension: 'pdf' },
] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number]['format'];

/**
 * The download's file name: the server names it after the document's title
 * in `Content-Disposition` (`filename*` = the exact UTF-8 name, `filename` =
 * an ASCII fallback); without one, `fallback.{extension}`. Path separators and
 * control characters never reach the name.
 */
export function downloadFileName(contentDisposition: string | null, fallback: string, extension: string): string {
  const header = contentDisposition ?? '';
  let name: string | null = null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      name = decodeURIComponent(extended[1].trim());
    } catch {
      name = null; // malformed percent-encoding: fall back to the plain filename
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header);
    name = (plain?.[1] ?? plain?.[2] ?? '').trim() || null;
  }
  const safe = (name ?? '').replace(/[/\\\u0000-\u001f\u007f]/g, '_').trim();
  return safe && safe !== '.' && safe !== '..' ? safe : `${fallback}.${extension}`;
}

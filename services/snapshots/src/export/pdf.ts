import PDFDocument from 'pdfkit';
import type { JSONContent } from '@copycloud/schema';
import { fitWithin, imagePlaceholder, type ImageMap } from './images.js';

const FONTS = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', boldItalic: 'Helvetica-BoldOblique', mono: 'Courier' } as const;
const HEADING_SIZES = [22, 18, 15, 13, 12, 11];
const BODY_SIZE = 11;
const INDENT_PT = 18;
/** pdfkit embeds PNG and JPEG; GIF and WebP are exported as their alt text. */
const PDF_IMAGE_TYPES = new Set(['png', 'jpeg']);

/**
 * pdfkit's standard fonts (Helvetica, Courier) are encoded in WinAnsi:
 * characters outside it would print as garbage, so they are replaced by '?'
 * (and typographic quotes, dashes and the ellipsis kept, which WinAnsi has).
 */
function winAnsi(text: string): string {
  return text.replace(/[^\u0009\u000a\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]/gu, '?');
}

interface Context {
  indent: number;
  quote: boolean;
}

type Doc = InstanceType<typeof PDFDocument>;

function fontOf(marks: Set<string>, quote: boolean): string {
  if (marks.has('code')) return FONTS.mono;
  const bold = marks.has('bold');
  const italic = marks.has('italic') || quote;
  return bold && italic ? FONTS.boldItalic : bold ? FONTS.bold : italic ? FONTS.italic : FONTS.regular;
}

/** One paragraph of runs (bold, italic, underline, strike, code, links), after an optional prefix. */
function inline(doc: Doc, nodes: readonly JSONContent[] | undefined, ctx: Context, options: { size: number; prefix?: string; baseBold?: boolean }): void {
  const pieces: Array<{ text: string; font: string; link?: string; underline: boolean; strike: boolean }> = [];
  if (options.prefix) pieces.push({ text: options.prefix, font: FONTS.regular, underline: false, strike: false });
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') pieces.push({ text: '\n', font: FONTS.regular, underline: false, strike: false });
    if (node.type !== 'text' || !node.text) continue;
    const marks = new Set((node.marks ?? []).map((m) => m.type));
    if (options.baseBold) marks.add('bold');
    const href = node.marks?.find((m) => m.type === 'link')?.attrs?.['href'];
    const link = typeof href === 'string' && /^(https?:|mailto:)/i.test(href) ? href : undefined;
    pieces.push({ text: winAnsi(node.text), font: fontOf(marks, ctx.quote), ...(link ? { link } : {}), underline: marks.has('underline') || !!link, strike: marks.has('strike') });
  }
  if (pieces.length === 0) pieces.push({ text: ' ', font: FONTS.regular, underline: false, strike: false });
  const x = doc.page.margins.left + ctx.indent;
  const width = doc.page.width - doc.page.margins.right - x;
  pieces.forEach((piece, i) => {
    doc.font(piece.font).fontSize(options.size).fillColor(piece.link ? '#1155cc' : ctx.quote ? '#555555' : '#000000');
    const last = i === pieces.length - 1;
    const opts = { continued: !last, underline: piece.underline, strike: piece.strike, link: piece.link ?? null, width };
    if (i === 0) doc.text(piece.text, x, doc.y, opts);
    else doc.text(piece.text, opts);
  });
  doc.fillColor('#000000');
  doc.moveDown(0.4);
}

function blocks(doc: Doc, nodes: readonly JSONContent[] | undefined, ctx: Context, images: ImageMap): void {
  for (const node of nodes ?? []) block(doc, node, ctx, images);
}

function block(doc: Doc, node: JSONContent, ctx: Context, images: ImageMap): void {
  switch (node.type) {
    case 'paragraph':
      return inline(doc, node.content, ctx, { size: BODY_SIZE });
    case 'heading': {
      const level = Math.min(Math.max(Number(node.attrs?.['level'] ?? 1), 1), 6);
      doc.moveDown(0.3);
      return inline(doc, node.content, ctx, { size: HEADING_SIZES[level - 1]!, baseBold: true });
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList': {
      const start = Number(node.attrs?.['start'] ?? 1);
      (node.content ?? []).forEach((item, i) => {
        const prefix = node.type === 'bulletList' ? '•  ' : node.type === 'orderedList' ? `${start + i}.  ` : item.attrs?.['checked'] ? '[x]  ' : '[ ]  ';
        const [first, ...rest] = item.content ?? [];
        const nested = { ...ctx, indent: ctx.indent + INDENT_PT };
        if (first?.type === 'paragraph') inline(doc, first.content, nested, { size: BODY_SIZE, prefix });
        else if (first) block(doc, first, nested, images);
        blocks(doc, rest, { ...nested, indent: nested.indent + INDENT_PT / 2 }, images);
      });
      return;
    }
    case 'blockquote':
      return blocks(doc, node.content, { indent: ctx.indent + INDENT_PT, quote: true }, images);
    case 'codeBlock': {
      const text = winAnsi((node.content ?? []).map((t) => t.text ?? '').join(''));
      doc.font(FONTS.mono).fontSize(BODY_SIZE - 1).text(text, doc.page.margins.left + ctx.indent + 6, doc.y);
      doc.moveDown(0.4);
      return;
    }
    case 'horizontalRule': {
      const y = doc.y + 4;
      doc.moveTo(doc.page.margins.left, y).lineTo(doc.page.width - doc.page.margins.right, y).strokeColor('#999999').stroke();
      doc.moveDown(0.8);
      return;
    }
    case 'image':
      return image(doc, node, ctx, images);
    case 'table':
      return table(doc, node, ctx);
    default:
      if (node.content) blocks(doc, node.content, ctx, images);
  }
}

function image(doc: Doc, node: JSONContent, ctx: Context, images: ImageMap): void {
  const src = node.attrs?.['src'];
  const found = typeof src === 'string' ? images.get(src) : undefined;
  if (!found || !PDF_IMAGE_TYPES.has(found.type)) {
    inline(doc, [{ type: 'text', text: imagePlaceholder(node), marks: [{ type: 'italic' }] }], ctx, { size: BODY_SIZE });
    return;
  }
  const x = doc.page.margins.left + ctx.indent;
  const maxWidth = doc.page.width - doc.page.margins.right - x;
  const maxHeight = doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
  // Images are 96 dpi pixels; a PDF point is 1/72 in.
  const size = fitWithin(found.width * 0.75, found.height * 0.75, maxWidth, maxHeight);
  if (doc.y + size.height > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.image(Buffer.from(found.bytes), x, doc.y, { width: size.width, height: size.height });
  doc.y += size.height;
  doc.moveDown(0.4);
}

/** A cell's text: its paragraphs joined by line breaks (a PDF table cell holds plain text). */
function cellText(cell: JSONContent): string {
  const lines: string[] = [];
  const walk = (node: JSONContent, line: string[]) => {
    if (node.type === 'text') line.push(node.text ?? '');
    else if (node.type === 'hardBreak') line.push('\n');
    else if (node.type === 'image') line.push(imagePlaceholder(node));
    for (const child of node.content ?? []) walk(child, line);
  };
  for (const child of cell.content ?? []) {
    const line: string[] = [];
    walk(child, line);
    lines.push(line.join(''));
  }
  return winAnsi(lines.join('\n'));
}

function table(doc: Doc, node: JSONContent, ctx: Context): void {
  const data = (node.content ?? []).map((row) =>
    (row.content ?? []).map((cell) => ({
      text: cellText(cell),
      colSpan: Number(cell.attrs?.['colspan'] ?? 1),
      rowSpan: Number(cell.attrs?.['rowspan'] ?? 1),
      type: cell.type === 'tableHeader' ? ('TH' as const) : ('TD' as const),
      ...(cell.type === 'tableHeader' ? { font: { src: FONTS.bold }, backgroundColor: '#eeeeee' } : { font: { src: FONTS.regular } }),
    })),
  );
  if (data.length === 0) return;
  doc.fontSize(BODY_SIZE).fillColor('#000000');
  doc.table({ position: { x: doc.page.margins.left + ctx.indent }, data });
  doc.font(FONTS.regular);
  doc.moveDown(0.6);
}

/** The content as a PDF (pdfkit): A4, the title in the document info, headings, marks, links, lists, tasks, tables, PNG/JPEG images. */
export function toPdf(content: JSONContent, options: { title: string; images: ImageMap }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: options.title, Creator: 'Copycloud' }, displayTitle: true });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.font(FONTS.regular).fontSize(BODY_SIZE);
      blocks(doc, content.content, { indent: 0, quote: false }, options.images);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

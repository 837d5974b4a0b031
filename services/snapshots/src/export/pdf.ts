import PDFDocument from 'pdfkit';
import type { JSONContent } from '@copycloud/schema';
import { defaultPdfFonts, fontRuns, singleFaceText, type FontStyle, type PdfFonts } from './fonts.js';
import { fitWithin, imagePlaceholder, type ImageMap } from './images.js';

const HEADING_SIZES = [22, 18, 15, 13, 12, 11];
const BODY_SIZE = 11;
const INDENT_PT = 18;
/** pdfkit embeds PNG and JPEG; GIF and WebP are exported as their alt text. */
const PDF_IMAGE_TYPES = new Set(['png', 'jpeg']);

interface Context {
  indent: number;
  quote: boolean;
  /** Embedded Unicode fonts (pdfkit's standard 14 fonts are WinAnsi only: no Greek, Cyrillic or CJK). */
  fonts: PdfFonts;
}

type Doc = InstanceType<typeof PDFDocument>;

function styleOf(marks: Set<string>, quote: boolean): FontStyle {
  if (marks.has('code')) return 'mono';
  const bold = marks.has('bold');
  const italic = marks.has('italic') || quote;
  return bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'regular';
}

/** One paragraph of runs (bold, italic, underline, strike, code, links), after an optional prefix. */
function inline(doc: Doc, nodes: readonly JSONContent[] | undefined, ctx: Context, options: { size: number; prefix?: string; baseBold?: boolean }): void {
  const pieces: Array<{ text: string; font: string; link?: string; underline: boolean; strike: boolean }> = [];
  const regular = (text: string) => fontRuns(text, ctx.fonts, 'regular').map((run) => ({ ...run, underline: false, strike: false }));
  if (options.prefix) pieces.push(...regular(options.prefix));
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') pieces.push(...regular('\n'));
    if (node.type !== 'text' || !node.text) continue;
    const marks = new Set((node.marks ?? []).map((m) => m.type));
    if (options.baseBold) marks.add('bold');
    const href = node.marks?.find((m) => m.type === 'link')?.attrs?.['href'];
    const link = typeof href === 'string' && /^(https?:|mailto:)/i.test(href) ? href : undefined;
    // One piece per font: a run of Japanese inside a Latin sentence is drawn by the fallback face.
    for (const run of fontRuns(node.text, ctx.fonts, styleOf(marks, ctx.quote))) {
      pieces.push({ ...run, ...(link ? { link } : {}), underline: marks.has('underline') || !!link, strike: marks.has('strike') });
    }
  }
  if (pieces.length === 0) pieces.push(...regular(' '));
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
      return blocks(doc, node.content, { ...ctx, indent: ctx.indent + INDENT_PT, quote: true }, images);
    case 'codeBlock': {
      const runs = fontRuns((node.content ?? []).map((t) => t.text ?? '').join('') || ' ', ctx.fonts, 'mono');
      const x = doc.page.margins.left + ctx.indent + 6;
      runs.forEach((run, i) => {
        doc.font(run.font).fontSize(BODY_SIZE - 1);
        const options = { continued: i < runs.length - 1 };
        if (i === 0) doc.text(run.text, x, doc.y, options);
        else doc.text(run.text, options);
      });
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
  return lines.join('\n');
}

function table(doc: Doc, node: JSONContent, ctx: Context): void {
  const data = (node.content ?? []).map((row) =>
    (row.content ?? []).map((cell) => {
      const header = cell.type === 'tableHeader';
      // pdfkit draws a cell in one font: the face that has all of its characters.
      const { text, font } = singleFaceText(cellText(cell), ctx.fonts, header ? 'bold' : 'regular');
      return {
        text,
        colSpan: Number(cell.attrs?.['colspan'] ?? 1),
        rowSpan: Number(cell.attrs?.['rowspan'] ?? 1),
        type: header ? ('TH' as const) : ('TD' as const),
        font: { src: font },
        ...(header ? { backgroundColor: '#eeeeee' } : {}),
      };
    }),
  );
  if (data.length === 0) return;
  doc.fontSize(BODY_SIZE).fillColor('#000000');
  doc.table({ position: { x: doc.page.margins.left + ctx.indent }, data });
  doc.font(ctx.fonts.chains.regular[0]!.name);
  doc.moveDown(0.6);
}

/**
 * The content as a PDF (pdfkit): A4, the title in the document info, headings,
 * marks, links, lists, tasks, tables, PNG/JPEG images; text in embedded
 * Unicode fonts (DejaVu, a CJK fallback when the system has one), subset to
 * the glyphs used.
 */
export function toPdf(content: JSONContent, options: { title: string; images: ImageMap; fonts?: PdfFonts }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: options.title, Creator: 'Copycloud' }, displayTitle: true });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      const fonts = options.fonts ?? defaultPdfFonts();
      for (const face of fonts.faces) {
        if (face.member) doc.registerFont(face.name, face.bytes, face.member);
        else doc.registerFont(face.name, face.bytes);
      }
      doc.font(fonts.chains.regular[0]!.name).fontSize(BODY_SIZE);
      blocks(doc, content.content, { indent: 0, quote: false, fonts }, options.images);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

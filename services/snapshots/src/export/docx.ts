import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphOptions,
  type ParagraphChild,
} from 'docx';
import type { JSONContent } from '@copycloud/schema';
import { fitWithin, imagePlaceholder, type ImageMap } from './images.js';

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];
const ORDERED = 'copycloud-ordered';
const MONO = 'Courier New';
/** Printable width of an A4/Letter page with Word's default margins, in pixels at 96 dpi. */
const PAGE_WIDTH_PX = 600;
const PAGE_HEIGHT_PX = 800;
/** docx's own formats; WebP is not one of them and is exported as its alt text. */
const DOCX_IMAGE_TYPES = { png: 'png', jpeg: 'jpg', gif: 'gif' } as const;

interface Context {
  images: ImageMap;
  /** Indent level inside lists. */
  level: number;
  quote: boolean;
}

type Block = Paragraph | Table;

function runs(nodes: readonly JSONContent[] | undefined, ctx: Context, extra: { code?: boolean } = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') {
      out.push(new TextRun({ text: '', break: 1 }));
      continue;
    }
    if (node.type !== 'text') continue;
    const marks = new Set((node.marks ?? []).map((m) => m.type));
    const link = node.marks?.find((m) => m.type === 'link')?.attrs?.['href'];
    const run = new TextRun({
      text: node.text ?? '',
      bold: marks.has('bold'),
      italics: marks.has('italic') || ctx.quote,
      underline: marks.has('underline') || link ? {} : undefined,
      strike: marks.has('strike'),
      font: marks.has('code') || extra.code ? MONO : undefined,
      color: link ? '1155CC' : undefined,
    });
    out.push(typeof link === 'string' && /^(https?:|mailto:)/i.test(link) ? new ExternalHyperlink({ link, children: [run] }) : run);
  }
  return out;
}

function paragraph(children: ParagraphChild[], ctx: Context, options: Omit<IParagraphOptions, 'children'> = {}): Paragraph {
  const indent = ctx.quote ? { left: 720 * (ctx.level + 1) } : ctx.level > 0 && !options.bullet && !options.numbering ? { left: 720 * ctx.level } : undefined;
  return new Paragraph({ ...(indent ? { indent } : {}), ...options, children });
}

function blocks(nodes: readonly JSONContent[] | undefined, ctx: Context): Block[] {
  return (nodes ?? []).flatMap((node) => block(node, ctx));
}

function block(node: JSONContent, ctx: Context): Block[] {
  switch (node.type) {
    case 'paragraph':
      return [paragraph(runs(node.content, ctx), ctx)];
    case 'heading': {
      const level = Math.min(Math.max(Number(node.attrs?.['level'] ?? 1), 1), 6);
      return [paragraph(runs(node.content, ctx), ctx, { heading: HEADINGS[level - 1] })];
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      return (node.content ?? []).flatMap((item) => listItem(item, node.type!, ctx));
    case 'blockquote':
      return blocks(node.content, { ...ctx, quote: true });
    case 'codeBlock': {
      const text = (node.content ?? []).map((t) => t.text ?? '').join('');
      return text.split('\n').map((line) => paragraph([new TextRun({ text: line, font: MONO })], ctx));
    }
    case 'horizontalRule':
      return [new Paragraph({ thematicBreak: true, children: [] })];
    case 'image':
      return [image(node, ctx)];
    case 'table':
      return [table(node, ctx), new Paragraph({ children: [] })];
    default:
      // Unknown blocks keep their text.
      return node.content ? blocks(node.content, ctx) : [];
  }
}

function listItem(item: JSONContent, listType: string, ctx: Context): Block[] {
  const [first, ...rest] = item.content ?? [];
  const nested = { ...ctx, level: ctx.level + 1 };
  const head: ParagraphChild[] = [];
  if (listType === 'taskItem' || listType === 'taskList') head.push(new TextRun({ text: item.attrs?.['checked'] ? '☒ ' : '☐ ' }));
  const options: Omit<IParagraphOptions, 'children'> =
    listType === 'bulletList'
      ? { bullet: { level: Math.min(ctx.level, 8) } }
      : listType === 'orderedList'
        ? { numbering: { reference: ORDERED, level: Math.min(ctx.level, 8) } }
        : { indent: { left: 360 + 720 * ctx.level } };
  const lead = first?.type === 'paragraph' ? [paragraph([...head, ...runs(first.content, ctx)], ctx, options)] : [paragraph(head, ctx, options), ...(first ? block(first, nested) : [])];
  return [...lead, ...rest.flatMap((child) => block(child, nested))];
}

function image(node: JSONContent, ctx: Context): Paragraph {
  const src = node.attrs?.['src'];
  const found = typeof src === 'string' ? ctx.images.get(src) : undefined;
  const type = found && found.type !== 'webp' ? DOCX_IMAGE_TYPES[found.type] : undefined;
  if (!found || !type) return paragraph([new TextRun({ text: imagePlaceholder(node), italics: true })], ctx);
  const size = fitWithin(found.width, found.height, PAGE_WIDTH_PX, PAGE_HEIGHT_PX);
  const alt = typeof node.attrs?.['alt'] === 'string' ? node.attrs['alt'] : '';
  return paragraph([new ImageRun({ type, data: found.bytes, transformation: size, altText: { name: alt || 'image', description: alt, title: alt } })], ctx);
}

function table(node: JSONContent, ctx: Context): Table {
  const inner = { ...ctx, level: 0, quote: false };
  const rows = (node.content ?? []).map(
    (row) =>
      new TableRow({
        tableHeader: (row.content ?? []).length > 0 && (row.content ?? []).every((cell) => cell.type === 'tableHeader'),
        children: (row.content ?? []).map((cell) => {
          const header = cell.type === 'tableHeader';
          const content = blocks(cell.content, inner);
          return new TableCell({
            columnSpan: Number(cell.attrs?.['colspan'] ?? 1),
            rowSpan: Number(cell.attrs?.['rowspan'] ?? 1),
            ...(header ? { shading: { fill: 'EEEEEE' } } : {}),
            children: content.length > 0 ? content : [new Paragraph({ children: [] })],
          });
        }),
      }),
  );
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/** The content as a .docx (Office Open XML), through the `docx` library: headings, marks, links, lists, tasks, tables, images. */
export async function toDocx(content: JSONContent, options: { title: string; images: ImageMap }): Promise<Buffer> {
  const document = new Document({
    title: options.title,
    creator: 'Copycloud',
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [{ children: blocks(content.content, { images: options.images, level: 0, quote: false }) }],
  });
  return Packer.toBuffer(document);
}

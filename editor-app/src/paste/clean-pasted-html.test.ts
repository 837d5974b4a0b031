import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { DOMParser as SchemaParser, type Node as ProseMirrorNode } from '@tiptap/pm/model';
import { documentSchema } from '@copycloud/schema/extensions';
import { cleanPastedHtml, PENDING_IMAGE_PREFIX, type CleanedPaste } from './clean-pasted-html.js';

const FIXTURES = new URL('../../../e2e/fixtures/clipboard/', import.meta.url);
const window = new Window();

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

function clean(html: string): CleanedPaste {
  let next = 0;
  return cleanPastedHtml(html, {
    parse: (source) => new window.DOMParser().parseFromString(source, 'text/html') as unknown as Document,
    nextToken: () => `t${++next}`,
  });
}

/** The cleaned HTML read by the document schema's own parse rules, as ProseMirror's clipboard parser does. */
function parse(html: string): ProseMirrorNode {
  const container = window.document.createElement('div');
  container.innerHTML = html;
  return SchemaParser.fromSchema(documentSchema()).parse(container as unknown as HTMLElement);
}

/** Inline content with its marks written out: **bold**, _italic_, <u>…</u>, ~~strike~~, [text](href). */
function inline(node: ProseMirrorNode): string {
  let out = '';
  node.forEach((child) => {
    if (child.type.name === 'hardBreak') {
      out += '\\n';
      return;
    }
    let text = child.text ?? '';
    for (const mark of child.marks) {
      if (mark.type.name === 'bold') text = `**${text}**`;
      else if (mark.type.name === 'italic') text = `_${text}_`;
      else if (mark.type.name === 'underline') text = `<u>${text}</u>`;
      else if (mark.type.name === 'strike') text = `~~${text}~~`;
      else if (mark.type.name === 'link') text = `[${text}](${String(mark.attrs['href'])})`;
      else text = `{${mark.type.name}:${text}}`;
    }
    out += text;
  });
  return out;
}

/** The document as one line per block, nesting by indentation. */
function outline(doc: ProseMirrorNode): string[] {
  const lines: string[] = [];
  const block = (node: ProseMirrorNode, depth: number, bullet = '') => {
    const pad = '  '.repeat(depth);
    switch (node.type.name) {
      case 'heading':
        lines.push(`${pad}h${String(node.attrs['level'])} ${inline(node)}`);
        return;
      case 'paragraph':
        lines.push(`${pad}${bullet}${inline(node)}`);
        return;
      case 'bulletList':
      case 'orderedList':
        node.forEach((item) => {
          item.forEach((child, _offset, index) => block(child, index === 0 ? depth : depth + 1, index === 0 ? (node.type.name === 'bulletList' ? '- ' : `${String(node.attrs['start'] ?? 1)}. `) : ''));
        });
        return;
      case 'table':
        node.forEach((row) => {
          const cells: string[] = [];
          row.forEach((cell) => cells.push(`${cell.type.name === 'tableHeader' ? 'th' : 'td'} ${cell.textContent}`));
          lines.push(`${pad}| ${cells.join(' | ')} |`);
        });
        return;
      case 'image':
        lines.push(`${pad}img ${String(node.attrs['src'])}`);
        return;
      default:
        lines.push(`${pad}?${node.type.name} ${node.textContent}`);
    }
  };
  doc.forEach((node) => block(node, 0));
  return lines;
}

const BRIEF = [
  'h1 Spring launch brief',
  'Our **spring collection** lands on _12 March_. Read <u>every</u> line; the ~~winter~~ copy is retired. Details are on [the landing page](https://example.com/spring).',
];
const LISTS = ['- Fresh colours', '  - Coral and sage', '  - Sand', '- Free returns', 'h3 Launch steps', '1. Brief the team', '  1. Share the deck', '1. Publish the page'];
const TABLE = ['| th Plan | th Price | th Notes |', '| td Basic | td $9 | td One seat |', '| td Team | td $29 | td Five seats |'];

test('PASTE1 Google Docs: the bold wrapper is not bold, span styles become marks, lists nest, the bold first row becomes a header row, the image is marked for upload', () => {
  const cleaned = clean(fixture('google-docs.html'));
  assert.equal(cleaned.source, 'google-docs');
  // Google Docs writes an empty line between blocks as a <br> of its own: a blank paragraph, as in the source.
  assert.deepEqual(outline(parse(cleaned.html)), [...BRIEF, '\\n', 'h2 Key messages', ...LISTS, '\\n', ...TABLE, '\\n', `img ${PENDING_IMAGE_PREFIX}t1`]);
  assert.deepEqual(
    cleaned.uploads.map((image) => image.src),
    ['https://lh7-rt.googleusercontent.com/docsz/AD_4nXdQ3vKp8mX2nR7tYc1bWf9sLh0eJ4uGi6aZoPq5yNw3kT8rVe2xM1lUj7cOb9dHs4fKg?key=Qm3xZ7pL2vR9tY5wN8cB1a'],
  );
  assert.deepEqual(cleaned.dropped, []);
  assert.doesNotMatch(cleaned.html, /style=|docs-internal-guid/);
});

test('PASTE1 Word desktop: mso-list paragraphs become real nested lists (bullets and numbers told apart by their marker), <o:p> goes, the file:/// image is left out and reported', () => {
  const cleaned = clean(fixture('word-desktop.html'));
  assert.equal(cleaned.source, 'word-desktop');
  assert.deepEqual(outline(parse(cleaned.html)), [...BRIEF, '', 'h2 Key messages', ...LISTS, ...TABLE]);
  assert.deepEqual(cleaned.uploads, []);
  assert.deepEqual(cleaned.dropped, [{ src: 'file:///C:/Users/ALEXMO~1/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png' }]);
  assert.doesNotMatch(cleaned.html, /o:p|supportLists|mso-|Normal|·/);
});

test('PASTE1 Word Online: role=heading paragraphs become headings, one-item lists per wrapper merge into nested lists by data-aria-level, the session-bound image is marked for upload', () => {
  const cleaned = clean(fixture('word-online.html'));
  assert.equal(cleaned.source, 'word-online');
  assert.deepEqual(outline(parse(cleaned.html)), [...BRIEF, 'h2 Key messages', ...LISTS, ...TABLE, `img ${PENDING_IMAGE_PREFIX}t1`]);
  assert.match(cleaned.uploads[0]?.src ?? '', /^https:\/\/euc-word-edit\.officeapps\.live\.com\/we\/ResReader\.ashx\?/);
});

test('PASTE1 a web page: semantic markup kept as it is, <th> header row, remote and data: images marked for upload (never kept as data:)', () => {
  const cleaned = clean(fixture('web-page.html'));
  assert.equal(cleaned.source, 'html');
  const lines = outline(parse(cleaned.html));
  assert.deepEqual(lines, [
    ...BRIEF,
    'h2 Key messages',
    ...LISTS,
    ...TABLE,
    `img ${PENDING_IMAGE_PREFIX}t1`,
    'The spring palette.',
    // An image is a block: the paragraph it sat in is split around it.
    '',
    `img ${PENDING_IMAGE_PREFIX}t2`,
    ' Tracking pixel from an ad network:',
    `img ${PENDING_IMAGE_PREFIX}t3`,
  ]);
  assert.deepEqual(
    cleaned.uploads.map((image) => [image.src.slice(0, 41), image.alt]),
    [
      ['https://images.example-cdn.com/spring/her', 'Coral and sage swatches'],
      ['data:image/png;base64,iVBORw0KGgoAAAANSUh', 'New badge'],
      ['https://tracker.ads-network.example/p.png', ''],
    ],
  );
  assert.doesNotMatch(cleaned.html, /data:|srcset/);
});

test('PASTE1 the app\'s own HTML (a copy from a Copycloud editor) keeps its slice markers; its app file images stay as they are', () => {
  const html = '<p data-pm-slice="1 1 []">Hi <strong>there</strong></p><img src="/api/docs/doc-1/files/0b6f3c1e-5a4d-4f7e-9a2b-1c3d5e7f9a0b.png" alt="logo">';
  const cleaned = clean(html);
  assert.equal(cleaned.source, 'copycloud');
  assert.equal(cleaned.html, html);
  assert.deepEqual([cleaned.uploads, cleaned.dropped], [[], []]);
});

test('PASTE1 styles never add marks by themselves: font-weight 400 spans, underlined links, a normal-weight <b>', () => {
  const cleaned = clean(
    '<p><b style="font-weight:normal">plain</b> <span style="font-weight:400;text-decoration:none">also plain</span> <a href="https://example.com"><span style="text-decoration:underline">link</span></a> <span style="font-weight:600;font-style:italic;text-decoration:underline line-through">all</span></p>',
  );
  assert.deepEqual(outline(parse(cleaned.html)), ['plain also plain [link](https://example.com) <u>~~_**all**_~~</u>']);
});

test('PASTE1 Word lists: a change from bullets to numbers starts a new list; a list that starts at level 2 is a plain list', () => {
  const item = (list: string, level: number, marker: string, text: string) =>
    `<p class=MsoListParagraph style='mso-list:${list} level${level} lfo1'><![if !supportLists]><span><span style='mso-list:Ignore'>${marker}<span>&nbsp;&nbsp;</span></span></span><![endif]>${text}<o:p></o:p></p>\n`;
  const html = `<html xmlns:w="urn:schemas-microsoft-com:office:word"><body>${item('l0', 2, 'o', 'deep')}${item('l0', 1, '·', 'bullet')}${item('l1', 1, '3.', 'three')}${item('l1', 1, '4.', 'four')}</body></html>`;
  assert.deepEqual(outline(parse(clean(html).html)), ['- deep', '- bullet', '3. three', '3. four']);
});

import { isAppFileUrl } from '@copycloud/protocol';
import { allComments, allElements, inlineStyle, isComment, isElement, nextMeaningfulSibling, rename, tagOf, unwrap, visibleText } from './dom-helpers.js';
import { buildNestedLists, readListMarker, type FlatListItem } from './nested-lists.js';

/** Where pasted HTML came from, as far as its markup tells. */
export type PasteSource = 'google-docs' | 'word-desktop' | 'word-online' | 'copycloud' | 'html';

/** A pasted image whose bytes the browser may be able to read: it is uploaded, and stands in the HTML as `src="copycloud-paste:<token>"` until then. */
export interface ImageToUpload {
  readonly token: string;
  /** data:, blob: or http(s): */
  readonly src: string;
  readonly alt: string;
}

/** A pasted image left out because no browser can read its bytes (Word's local temp files, mail attachments). */
export interface DroppedImage {
  readonly src: string;
}

export interface CleanedPaste {
  readonly source: PasteSource;
  readonly html: string;
  readonly uploads: readonly ImageToUpload[];
  readonly dropped: readonly DroppedImage[];
}

/** The `src` a pasted image holds until its upload lands (never reaches the shared document: the paste plugin takes it out first). */
export const PENDING_IMAGE_PREFIX = 'copycloud-paste:';

export interface CleanOptions {
  /** Parses a whole HTML document (the browser's DOMParser; happy-dom's in tests). */
  readonly parse: (html: string) => Document;
  /** Makes the token of the next image to upload. */
  readonly nextToken: () => string;
}

/**
 * Turns what Google Docs, Word (desktop and Online) and web pages put on the
 * clipboard into plain semantic HTML the document schema's parse rules read
 * faithfully: headings, real nested lists, `<strong>`/`<em>`/`<u>`/`<s>`
 * instead of styled spans, links, tables (a bold first row becomes a header
 * row), and images sorted into kept (the app's own files), to upload
 * (data:, blob:, http(s):) and dropped (file: and the like). Inline styles
 * are removed once read, so the schema's style-based rules cannot add marks
 * nobody meant (Google Docs' bold wrapper, a link's underline). Pure: the
 * same input gives the same output, in the browser and in Node.
 */
export function cleanPastedHtml(html: string, options: CleanOptions): CleanedPaste {
  const document = options.parse(html);
  const body = document.body;
  const source = detectSource(html, body);
  if (source === 'copycloud') {
    // Copied from a Copycloud editor: already the schema's own HTML (with ProseMirror's slice depths); only images are checked.
    const images = sortImages(body, options.nextToken);
    return { source, html: body.innerHTML, ...images };
  }
  removeNonContent(body);
  if (source === 'word-desktop') {
    removeWordListMarkers(body);
    convertWordListParagraphs(body);
    convertWordTitles(body);
  }
  if (source === 'word-online') {
    convertWordOnlineHeadings(body);
    mergeWordOnlineLists(body);
    for (const element of body.querySelectorAll('.EOP, .ListMarkerWrappingSpan, .WACImageBorder')) element.remove();
  }
  for (const wrapper of body.querySelectorAll('b[id^="docs-internal-guid-"]')) unwrap(wrapper);
  nestStrayLists(body);
  stylesToMarks(body);
  dropOfficeParagraphEnds(body);
  for (const anchor of body.querySelectorAll('a:not([href])')) unwrap(anchor);
  promoteBoldFirstRows(body);
  for (const comment of allComments(body)) comment.remove();
  // Safari and Chrome on macOS end a copy with this break; it is not content.
  for (const lineEnd of body.querySelectorAll('br.Apple-interchange-newline')) lineEnd.remove();
  hoistImageParagraphs(body);
  const images = sortImages(body, options.nextToken);
  for (const element of allElements(body)) {
    for (const attribute of ['style', 'class', 'lang', 'dir', 'id']) element.removeAttribute(attribute);
  }
  return { source, html: body.innerHTML, ...images };
}

export function detectSource(html: string, body: HTMLElement): PasteSource {
  if (body.querySelector('[data-pm-slice]')) return 'copycloud';
  if (body.querySelector('[id^="docs-internal-guid-"]')) return 'google-docs';
  if (/urn:schemas-microsoft-com:office:word|<meta[^>]+name=["']?ProgId["']?[^>]+Word\.Document/i.test(html) || body.querySelector('[class^="Mso"], [style*="mso-list"]')) {
    return 'word-desktop';
  }
  if (body.querySelector('.OutlineElement, .ListContainerWrapper, .TextRun, .WACImageContainer')) return 'word-online';
  return 'html';
}

const NON_CONTENT = ['style', 'script', 'noscript', 'template', 'meta', 'link', 'title', 'xml', 'iframe', 'object', 'embed', 'svg', 'button', 'input', 'select', 'textarea'];

function removeNonContent(body: HTMLElement): void {
  for (const element of allElements(body)) {
    const tag = tagOf(element);
    if (NON_CONTENT.includes(tag) || tag.startsWith('v:') || tag.startsWith('w:') || tag.startsWith('m:')) element.remove();
  }
}

// ---- Word desktop -----------------------------------------------------------

const MSO_LIST = /mso-list:\s*(l\d+)\s+level(\d+)/i;

/**
 * Word writes each list marker as text ("·", "1.", "o") between
 * `<![if !supportLists]>` and `<![endif]>` (parsed as comments), inside a
 * `mso-list:Ignore` span; both are removed, after the marker is read.
 */
function removeWordListMarkers(body: HTMLElement): void {
  for (const paragraph of body.querySelectorAll('[style*="mso-list"]')) {
    if (MSO_LIST.test(paragraph.getAttribute('style') ?? '')) paragraph.setAttribute('data-list-marker', wordMarkerText(paragraph));
  }
  for (const start of allComments(body)) {
    if (!/^\[if !supportLists\]$/i.test(start.data.trim())) continue;
    let node = start.nextSibling;
    while (node && !(isComment(node) && /^\[endif\]$/i.test(node.data.trim()))) {
      const next: ChildNode | null = node.nextSibling;
      node.remove();
      node = next;
    }
    node?.remove();
    start.remove();
  }
  for (const ignored of body.querySelectorAll('[style*="mso-list"]')) {
    if (/mso-list:\s*ignore/i.test(ignored.getAttribute('style') ?? '')) ignored.remove();
  }
}

function wordMarkerText(paragraph: Element): string {
  const ignored = [...paragraph.querySelectorAll('[style*="mso-list"]')].find((span) => /mso-list:\s*ignore/i.test(span.getAttribute('style') ?? ''));
  if (ignored) return visibleText(ignored);
  const start = allComments(paragraph).find((comment) => /^\[if !supportLists\]$/i.test(comment.data.trim()));
  let text = '';
  for (let node = start?.nextSibling ?? null; node && !isComment(node); node = node.nextSibling) text += visibleText(node);
  return text;
}

/** Runs of consecutive `mso-list` paragraphs become one nested list each. */
function convertWordListParagraphs(body: HTMLElement): void {
  const isListParagraph = (node: Node | null): node is Element => isElement(node) && tagOf(node) === 'p' && MSO_LIST.test(node.getAttribute('style') ?? '');
  for (const first of body.querySelectorAll('p')) {
    if (!first.isConnected || !isListParagraph(first)) continue;
    const previous = first.previousElementSibling;
    if (isListParagraph(previous)) continue; // not the start of a run
    const run: Element[] = [first];
    for (let next = nextMeaningfulSibling(first); isListParagraph(next); next = nextMeaningfulSibling(next)) run.push(next);
    const items: FlatListItem[] = run.map((paragraph) => {
      const [, listId = 'l0', level = '1'] = MSO_LIST.exec(paragraph.getAttribute('style') ?? '') ?? [];
      const marker = readListMarker(paragraph.getAttribute('data-list-marker') ?? '');
      const p = paragraph.ownerDocument.createElement('p');
      while (paragraph.firstChild) p.appendChild(paragraph.firstChild);
      return { level: Number(level), listId, ordered: marker.ordered, number: marker.number, content: [p] };
    });
    const lists = buildNestedLists(body.ownerDocument, items);
    for (const list of lists) first.parentNode?.insertBefore(list, first);
    for (const paragraph of run) paragraph.remove();
  }
  for (const element of body.querySelectorAll('[data-list-marker]')) element.removeAttribute('data-list-marker');
}

/** Word's Title and Subtitle styles are paragraphs by class; as a document's headings they read best as H1 and H2. */
function convertWordTitles(body: HTMLElement): void {
  for (const paragraph of body.querySelectorAll('p.MsoTitle')) rename(paragraph, 'h1');
  for (const paragraph of body.querySelectorAll('p.MsoSubtitle')) rename(paragraph, 'h2');
}

/** `<o:p>` ends every Word paragraph: empty ones go, `<o:p>&nbsp;</o:p>` (Word's blank line) leaves an empty paragraph. */
function dropOfficeParagraphEnds(body: HTMLElement): void {
  for (const element of allElements(body)) {
    if (tagOf(element) !== 'o:p') continue;
    if (visibleText(element).trim() === '') element.remove();
    else unwrap(element);
  }
}

// ---- Word Online ------------------------------------------------------------

/** Word Online writes headings as `<p role="heading" aria-level="2">`. */
function convertWordOnlineHeadings(body: HTMLElement): void {
  for (const paragraph of body.querySelectorAll('p[role="heading"][aria-level]')) {
    const level = Math.min(6, Math.max(1, Number(paragraph.getAttribute('aria-level')) || 1));
    rename(paragraph, `h${level}`);
  }
}

/**
 * Word Online puts every list item in a list of its own (each in a
 * `ListContainerWrapper`), its depth only in `data-aria-level`: consecutive
 * ones are gathered and rebuilt as one nested list.
 */
function mergeWordOnlineLists(body: HTMLElement): void {
  const isWordOnlineList = (node: Node | null): node is Element =>
    isElement(node) && (node.classList.contains('ListContainerWrapper') || (['ul', 'ol'].includes(tagOf(node)) && [...node.children].some((child) => tagOf(child) === 'li' && child.hasAttribute('data-aria-level'))));
  for (const first of allElements(body)) {
    if (!first.isConnected || !isWordOnlineList(first) || isWordOnlineList(first.previousElementSibling)) continue;
    const run: Element[] = [first];
    for (let next = nextMeaningfulSibling(first); isWordOnlineList(next); next = nextMeaningfulSibling(next)) run.push(next);
    const items: FlatListItem[] = run.flatMap((container) =>
      [...container.querySelectorAll('li')].map((li) => ({
        level: Number(li.getAttribute('data-aria-level')) || 1,
        ordered: li.parentElement ? tagOf(li.parentElement) === 'ol' : false,
        listId: li.getAttribute('data-listid') ?? '',
        number: Number(li.getAttribute('data-aria-posinset')) || null,
        content: [...li.childNodes],
      })),
    );
    const lists = buildNestedLists(body.ownerDocument, items);
    for (const list of lists) first.parentNode?.insertBefore(list, first);
    for (const container of run) container.remove();
  }
}

// ---- every source -----------------------------------------------------------

/** Google Docs (and some sites) put a nested list directly inside its parent list; it belongs to the item before it. */
function nestStrayLists(body: HTMLElement): void {
  for (const list of body.querySelectorAll('ul > ul, ul > ol, ol > ul, ol > ol')) {
    const previous = list.previousElementSibling;
    if (previous && tagOf(previous) === 'li') {
      previous.appendChild(list);
    } else {
      const li = body.ownerDocument.createElement('li');
      list.parentNode?.insertBefore(li, list);
      li.appendChild(list);
    }
  }
}

function isBoldWeight(weight: string | undefined): boolean {
  if (!weight) return false;
  if (weight === 'bold' || weight === 'bolder') return true;
  const numeric = Number(weight);
  return Number.isFinite(numeric) && numeric >= 600;
}

function isNormalWeight(weight: string | undefined): boolean {
  return weight === 'normal' || weight === '400' || weight === 'lighter';
}

/**
 * Formatting given as inline style on spans (Google Docs, Word Online, sites)
 * becomes the elements the schema reads as marks; a `<b>` styled
 * `font-weight:normal` (Google Docs' wrapper around every copy) is not bold.
 * Underline is not read inside a link: every app draws links underlined.
 */
function stylesToMarks(body: HTMLElement): void {
  for (const element of allElements(body)) {
    const tag = tagOf(element);
    const style = inlineStyle(element);
    if ((tag === 'b' || tag === 'strong') && isNormalWeight(style.get('font-weight'))) {
      unwrap(element);
      continue;
    }
    if (tag !== 'span') continue;
    const decoration = `${style.get('text-decoration') ?? ''} ${style.get('text-decoration-line') ?? ''}`;
    const wrappers: string[] = [];
    if (isBoldWeight(style.get('font-weight')) || element.classList.contains('MacChromeBold')) wrappers.push('strong');
    if (style.get('font-style') === 'italic' || style.get('font-style') === 'oblique' || element.classList.contains('MacChromeItalic')) wrappers.push('em');
    if (decoration.includes('underline') && !element.closest('a')) wrappers.push('u');
    if (decoration.includes('line-through')) wrappers.push('s');
    if (wrappers.length === 0) continue;
    let inner: Element = element;
    for (const tagName of wrappers) {
      const wrapper = body.ownerDocument.createElement(tagName);
      while (inner.firstChild) wrapper.appendChild(inner.firstChild);
      inner.appendChild(wrapper);
      inner = wrapper;
    }
  }
}

const BOLD_TAGS = new Set(['b', 'strong']);

/** Whether every visible character of `cell` sits inside bold. */
function isAllBold(cell: Element): boolean {
  if (visibleText(cell).trim() === '') return false;
  const walk = (node: Node, bold: boolean): boolean => {
    if (isElement(node)) {
      const inBold = bold || BOLD_TAGS.has(tagOf(node));
      return [...node.childNodes].every((child) => walk(child, inBold));
    }
    return bold || visibleText(node).trim() === '';
  };
  return walk(cell, false);
}

/**
 * A table with no header cells whose first row is bold throughout (how
 * Google Docs and Word people mark a header) gets a header row: those cells
 * become `<th>` and lose the bold, which a header already shows.
 */
function promoteBoldFirstRows(body: HTMLElement): void {
  for (const table of body.querySelectorAll('table')) {
    if (table.querySelector('th')) continue;
    const firstRow = table.querySelector('tr');
    const cells = firstRow ? [...firstRow.children].filter((cell) => tagOf(cell) === 'td') : [];
    if (cells.length === 0 || !cells.every(isAllBold)) continue;
    for (const cell of cells) {
      for (const bold of [...cell.querySelectorAll('b, strong')]) unwrap(bold);
      const header = rename(cell, 'th');
      for (const attribute of ['colspan', 'rowspan']) {
        const value = cell.getAttribute(attribute);
        if (value) header.setAttribute(attribute, value);
      }
    }
  }
}

/**
 * A paragraph holding only images (how Google Docs and Word wrap a picture)
 * becomes the images themselves: an image is a block in the schema, and
 * parsing it inside a paragraph would leave an empty paragraph before it.
 */
function hoistImageParagraphs(body: HTMLElement): void {
  for (const paragraph of body.querySelectorAll('p')) {
    const images = [...paragraph.querySelectorAll('img')];
    if (images.length === 0 || visibleText(paragraph).trim() !== '') continue;
    for (const image of images) paragraph.parentNode?.insertBefore(image, paragraph);
    paragraph.remove();
  }
}

function isUploadable(src: string): boolean {
  return /^data:image\//i.test(src) || /^blob:/i.test(src) || /^https?:\/\//i.test(src);
}

/**
 * Images are never stored as data: URLs nor as links to other sites: the
 * app's own file URLs stay; data:, blob: and http(s): images are marked for
 * upload; anything else (Word's `file:///…/clip_image001.png`, `cid:`) is
 * left out and reported.
 */
function sortImages(body: HTMLElement, nextToken: () => string): { uploads: ImageToUpload[]; dropped: DroppedImage[] } {
  const uploads: ImageToUpload[] = [];
  const dropped: DroppedImage[] = [];
  for (const image of body.querySelectorAll('img')) {
    const src = (image.getAttribute('src') ?? '').trim();
    if (isAppFileUrl(src)) continue;
    if (isUploadable(src)) {
      const token = nextToken();
      uploads.push({ token, src, alt: image.getAttribute('alt') ?? '' });
      image.setAttribute('src', `${PENDING_IMAGE_PREFIX}${token}`);
      image.removeAttribute('srcset');
      continue;
    }
    dropped.push({ src });
    const paragraph = image.closest('p');
    image.remove();
    // Word's picture paragraph would otherwise stay behind as an empty line.
    if (paragraph && visibleText(paragraph).trim() === '' && !paragraph.querySelector('img')) paragraph.remove();
  }
  return { uploads, dropped };
}

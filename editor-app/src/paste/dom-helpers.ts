/** Small DOM helpers for the paste cleaner; only standard DOM (the browser's, or happy-dom in tests). */

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const COMMENT_NODE = 8;

export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === ELEMENT_NODE;
}

export function isComment(node: Node | null | undefined): node is Comment {
  return node?.nodeType === COMMENT_NODE;
}

export function isText(node: Node | null | undefined): node is Text {
  return node?.nodeType === TEXT_NODE;
}

/** Lower-case tag name; Office's namespaced tags keep their prefix (`o:p`, `v:shape`). */
export function tagOf(element: Element): string {
  return element.tagName.toLowerCase();
}

/** Every element under `root`, in document order, as a static list (safe to mutate while iterating). */
export function allElements(root: ParentNode): Element[] {
  return [...root.querySelectorAll('*')];
}

/** Every comment under `root`, in document order. */
export function allComments(root: Node): Comment[] {
  const found: Comment[] = [];
  const walk = (node: Node) => {
    for (const child of [...node.childNodes]) {
      if (isComment(child)) found.push(child);
      else walk(child);
    }
  };
  walk(root);
  return found;
}

/** Replaces `element` by its children. */
export function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  while (element.firstChild) parent.insertBefore(element.firstChild, element);
  parent.removeChild(element);
}

/** Replaces `element` by a new element named `tag` holding its children (attributes are not carried over). */
export function rename(element: Element, tag: string): Element {
  const renamed = element.ownerDocument.createElement(tag);
  while (element.firstChild) renamed.appendChild(element.firstChild);
  element.parentNode?.replaceChild(renamed, element);
  return renamed;
}

/** The inline `style` attribute as lower-case property → value (last one wins, `!important` dropped). */
export function inlineStyle(element: Element): Map<string, string> {
  const styles = new Map<string, string>();
  for (const declaration of (element.getAttribute('style') ?? '').split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .replace(/!important/i, '')
      .trim()
      .toLowerCase();
    if (property) styles.set(property, value);
  }
  return styles;
}

/** Text a reader would see: no-break spaces count as spaces. */
export function visibleText(node: Node): string {
  return (node.textContent ?? '').replace(/\u00a0/g, ' ');
}

/** The next sibling that is not whitespace-only text or a comment. */
export function nextMeaningfulSibling(node: Node): Node | null {
  let next = node.nextSibling;
  while (next && ((isText(next) && visibleText(next).trim() === '') || isComment(next))) next = next.nextSibling;
  return next;
}

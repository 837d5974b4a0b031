/** One list item as Word describes it: a flat paragraph with a level, not a nested element. */
export interface FlatListItem {
  /** 1 = outermost. */
  readonly level: number;
  readonly ordered: boolean;
  /** Word's list id (`l0`, Word Online's `data-listid`): a new id at the outer level starts a new list. */
  readonly listId: string;
  /** The number the item shows, for an ordered list's `start`; null when unknown. */
  readonly number: number | null;
  /** What goes inside the `<li>` (moved, not copied). */
  readonly content: readonly Node[];
}

interface OpenList {
  readonly level: number;
  readonly ordered: boolean;
  readonly listId: string;
  readonly element: Element;
}

/**
 * Rebuilds real nested `<ul>`/`<ol>` from Word's flat list paragraphs: a
 * deeper item opens a list inside the previous item, a shallower one closes
 * lists back to its level, and a change of kind (bullets ↔ numbers) or of
 * list at the same level starts a sibling list. Returns the outermost lists.
 */
export function buildNestedLists(document: Document, items: readonly FlatListItem[]): Element[] {
  const roots: Element[] = [];
  const open: OpenList[] = [];
  for (const item of items) {
    const level = Math.max(1, item.level);
    while (open.length > 0 && (open.at(-1) as OpenList).level > level) open.pop();
    let top = open.at(-1);
    if (top && top.level === level && (top.ordered !== item.ordered || (level === 1 && top.listId !== item.listId))) {
      open.pop();
      top = open.at(-1);
    }
    if (!top || top.level < level) {
      const list = document.createElement(item.ordered ? 'ol' : 'ul');
      if (item.ordered && item.number !== null && item.number !== 1) list.setAttribute('start', String(item.number));
      if (top) {
        let parentItem = top.element.lastElementChild;
        if (!parentItem) {
          // A list that starts deeper than level 1: hang it from an empty item.
          parentItem = document.createElement('li');
          parentItem.appendChild(document.createElement('p'));
          top.element.appendChild(parentItem);
        }
        parentItem.appendChild(list);
      } else {
        roots.push(list);
      }
      top = { level, ordered: item.ordered, listId: item.listId, element: list };
      open.push(top);
    }
    const li = document.createElement('li');
    for (const node of item.content) li.appendChild(node);
    top.element.appendChild(li);
  }
  return roots;
}

/**
 * What Word's list marker says about the list: "1." "a)" "iv." "(3)" are
 * numbers; anything else ("·", "o", "§", "•", "-") is a bullet.
 */
export function readListMarker(marker: string): { ordered: boolean; number: number | null } {
  const text = marker.replace(/[\s\u00a0]+/g, '');
  const match = /^[([]?(\d+|[a-z]|[ivxlcdm]+)[.)\]]$/i.exec(text);
  if (!match?.[1]) return { ordered: false, number: null };
  const value = match[1];
  if (/^\d+$/.test(value)) return { ordered: true, number: Number(value) };
  if (value.length === 1 && !/^[ivxlcdm]$/i.test(value)) return { ordered: true, number: value.toLowerCase().charCodeAt(0) - 96 };
  return { ordered: true, number: null };
}

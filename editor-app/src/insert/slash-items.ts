/**
 * The slash menu's entries and the pure rules around them (which entries a
 * query shows, where the highlight moves, when "/" opens the menu). The
 * commands that insert each block live in `block-commands.ts`.
 */
export type BlockKind =
  | 'heading-1'
  | 'heading-2'
  | 'heading-3'
  | 'bullet-list'
  | 'ordered-list'
  | 'task-list'
  | 'quote'
  | 'divider'
  | 'table'
  | 'image'
  | 'code-block';

export interface SlashItem {
  readonly kind: BlockKind;
  readonly title: string;
  readonly hint: string;
  /** Other words a person may type after "/" for this entry. */
  readonly keywords: readonly string[];
}

export const SLASH_ITEMS: readonly SlashItem[] = [
  { kind: 'heading-1', title: 'Heading 1', hint: 'Large section heading', keywords: ['h1', 'title'] },
  { kind: 'heading-2', title: 'Heading 2', hint: 'Medium section heading', keywords: ['h2', 'subtitle'] },
  { kind: 'heading-3', title: 'Heading 3', hint: 'Small section heading', keywords: ['h3'] },
  { kind: 'bullet-list', title: 'Bullet list', hint: 'A simple list', keywords: ['ul', 'unordered', 'bullets'] },
  { kind: 'ordered-list', title: 'Numbered list', hint: 'A list with numbers', keywords: ['ol', 'ordered', 'numbers'] },
  { kind: 'task-list', title: 'Task list', hint: 'Checkboxes to tick', keywords: ['todo', 'checkbox', 'checklist'] },
  { kind: 'quote', title: 'Quote', hint: 'A quotation', keywords: ['blockquote', 'citation'] },
  { kind: 'divider', title: 'Divider', hint: 'A horizontal line', keywords: ['hr', 'rule', 'separator', 'line'] },
  { kind: 'table', title: 'Table', hint: '3 × 3 with a header row', keywords: ['grid', 'rows', 'columns'] },
  { kind: 'image', title: 'Image', hint: 'Upload a picture', keywords: ['picture', 'photo', 'upload', 'img'] },
  { kind: 'code-block', title: 'Code block', hint: 'Preformatted code', keywords: ['code', 'pre', 'snippet'] },
];

/**
 * Entries matching what was typed after "/": a title word or a keyword
 * starting with the query (case-insensitive), title matches first; an empty
 * query shows everything in menu order.
 */
export function filterSlashItems(query: string, items: readonly SlashItem[] = SLASH_ITEMS): SlashItem[] {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return [...items];
  const byTitle: SlashItem[] = [];
  const byKeyword: SlashItem[] = [];
  for (const item of items) {
    const title = item.title.toLowerCase();
    if (title.startsWith(wanted) || title.split(/\s+/).some((word) => word.startsWith(wanted))) byTitle.push(item);
    else if (item.keywords.some((keyword) => keyword.startsWith(wanted))) byKeyword.push(item);
  }
  return [...byTitle, ...byKeyword];
}

/** The highlighted entry after ↑ (-1) or ↓ (+1), wrapping around; 0 for an empty list. */
export function moveHighlight(index: number, delta: -1 | 1, count: number): number {
  if (count <= 0) return 0;
  return (((index + delta) % count) + count) % count;
}

/**
 * "/" opens the menu only at the start of an otherwise empty paragraph: its
 * text is exactly the "/" and the query typed after it (no spaces). Headings
 * and code blocks never open it ("/" is text there).
 */
export function opensSlashMenu(block: { readonly type: string; readonly text: string }): boolean {
  return block.type === 'paragraph' && /^\/[^\s/]*$/.test(block.text);
}

/**
 * Differences between two documents (ProseMirror JSON), for the history
 * preview: block by block (paragraphs, headings, list items, code blocks),
 * and word by word inside a block that changed. Pure, so it is unit tested
 * without a browser.
 */
export interface JsonNode {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: JsonNode[];
}

export interface Block {
  /** What the block is, as shown: `paragraph`, `heading 2`, `bullet item`, `code`. */
  kind: string;
  text: string;
}

export type WordChange = { op: 'same' | 'added' | 'removed'; text: string };

export type BlockChange =
  | { op: 'same'; block: Block }
  | { op: 'added'; block: Block }
  | { op: 'removed'; block: Block }
  | { op: 'changed'; block: Block; words: WordChange[] };

/** Above this many cells (n × m), the LCS is skipped and the rest shown as removed + added. */
const MAX_LCS_CELLS = 4_000_000;

const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

function textOf(node: JsonNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  return (node.content ?? []).map(textOf).join('');
}

/** The text blocks of a document, in reading order. */
export function blocksOf(doc: JsonNode): Block[] {
  const blocks: Block[] = [];
  const walk = (node: JsonNode, list: string | null) => {
    if (node.type && TEXT_BLOCKS.has(node.type)) {
      const kind =
        node.type === 'heading' ? `heading ${String(node.attrs?.level ?? 1)}` : node.type === 'codeBlock' ? 'code' : list ?? 'paragraph';
      blocks.push({ kind, text: textOf(node) });
      return;
    }
    const nextList = node.type === 'bulletList' ? 'bullet item' : node.type === 'orderedList' ? 'numbered item' : node.type === 'blockquote' ? 'quote' : list;
    for (const child of node.content ?? []) walk(child, nextList);
  };
  walk(doc, null);
  return blocks;
}

/** Longest common subsequence as pairs of indexes, or null when too large to compute. */
function lcs<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): Array<[number, number]> | null {
  if (a.length * b.length > MAX_LCS_CELLS) return null;
  const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = equal(a[i]!, b[j]!) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (equal(a[i]!, b[j]!)) {
      pairs.push([i++, j++]);
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

export function diffWords(from: string, to: string): WordChange[] {
  const a = from.split(/(\s+)/).filter(Boolean);
  const b = to.split(/(\s+)/).filter(Boolean);
  const pairs = lcs(a, b, (x, y) => x === y) ?? [];
  const out: WordChange[] = [];
  const push = (op: WordChange['op'], text: string) => {
    const last = out.at(-1);
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    while (i < pi) push('removed', a[i++]!);
    while (j < pj) push('added', b[j++]!);
    if (pi < a.length) push('same', a[pi]!);
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

/**
 * What changes when going from `from` (e.g. the document now) to `to` (the
 * version): blocks only in `to` are added, only in `from` removed; a removed
 * block directly followed by an added one of the same kind is one change.
 */
export function diffDocuments(from: JsonNode, to: JsonNode): BlockChange[] {
  const a = blocksOf(from);
  const b = blocksOf(to);
  const pairs = lcs(a, b, (x, y) => x.kind === y.kind && x.text === y.text) ?? [];
  const raw: BlockChange[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    const removed = a.slice(i, pi);
    const added = b.slice(j, pj);
    // Pair removed/added blocks of the same kind in order: an edited block.
    while (removed.length > 0 && added.length > 0 && removed[0]!.kind === added[0]!.kind) {
      const before = removed.shift()!;
      const after = added.shift()!;
      raw.push({ op: 'changed', block: after, words: diffWords(before.text, after.text) });
    }
    for (const block of removed) raw.push({ op: 'removed', block });
    for (const block of added) raw.push({ op: 'added', block });
    if (pi < a.length) raw.push({ op: 'same', block: b[pj]! });
    i = pi + 1;
    j = pj + 1;
  }
  return raw;
}

export function countChanges(changes: readonly BlockChange[]): number {
  return changes.filter((c) => c.op !== 'same').length;
}

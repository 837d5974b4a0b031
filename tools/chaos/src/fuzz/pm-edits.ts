/**
 * Random editor edits as ProseMirror transactions on the real Copycloud
 * schema, written back to the Y.XmlFragment the way the editor's sync plugin
 * does (y-tiptap's `updateYFragment` with the mapping `initProseMirrorDoc`
 * made): typing with and without marks, deletions (also across blocks),
 * Enter (split), Backspace at a block start (join), bullet/ordered lists
 * (wrap, sink, lift), headings, bold/italic/link on a range, blockquotes,
 * hard breaks. Every choice comes from the seeded PRNG, so the same seed and
 * the same document give the same edit.
 */
import type * as Y from 'yjs';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Command, type Transaction } from '@tiptap/pm/state';
import { joinBackward, lift, setBlockType, splitBlock, wrapIn } from '@tiptap/pm/commands';
import { liftListItem, sinkListItem, splitListItem, wrapInList } from '@tiptap/pm/schema-list';
import { initProseMirrorDoc, updateYFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { between, pick, weighted, type Random } from '../harness/random.js';

export type EditKind = 'type' | 'delete' | 'delete-across' | 'split' | 'join' | 'list' | 'list-indent' | 'heading' | 'mark' | 'unmark' | 'link' | 'blockquote' | 'hard-break';

const KINDS: ReadonlyArray<readonly [number, EditKind]> = [
  [30, 'type'],
  [10, 'delete'],
  [3, 'delete-across'],
  [9, 'split'],
  [6, 'join'],
  [6, 'list'],
  [4, 'list-indent'],
  [5, 'heading'],
  [8, 'mark'],
  [3, 'unmark'],
  [3, 'link'],
  [2, 'blockquote'],
  [2, 'hard-break'],
];

const WORDS = ['copy', 'cloud', 'lorem', 'ipsum', 'a', 'the', 'édition', 'ß', '→', '😀', ' ', 'x'];

interface Block {
  node: PMNode;
  /** Position of the first content position inside the textblock. */
  start: number;
  end: number;
}

function textblocks(doc: PMNode): Block[] {
  const blocks: Block[] = [];
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      blocks.push({ node, start: pos + 1, end: pos + 1 + node.content.size });
      return false;
    }
    return true;
  });
  return blocks;
}

function withCursor(state: EditorState, from: number, to = from): EditorState {
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
}

/** Runs a command against `state`; returns its transaction (null if it did not apply). */
function run(state: EditorState, command: Command): Transaction | null {
  let result: Transaction | null = null;
  command(state, (tr) => {
    result = tr;
  });
  return result;
}

/** A random ProseMirror transaction of `kind` (or of a random kind); null if it did not apply here. */
export function randomEdit(state: EditorState, random: Random, forced?: EditKind): { kind: EditKind; tr: Transaction | null } {
  const schema = state.schema;
  const kind = forced ?? weighted(random, KINDS);
  const blocks = textblocks(state.doc);
  if (blocks.length === 0) return { kind, tr: null };
  const block = pick(random, blocks);
  // Positions a person can reach: a browser never puts the cursor between
  // the two UTF-16 halves of an emoji (Yjs would replace a split pair with
  // U+FFFD on some replicas only: see SAFE2's surrogate rule).
  const at = whole(state.doc, between(random, block.start, block.end));
  const rangeIn = (): [number, number] => {
    const a = whole(state.doc, between(random, block.start, block.end));
    const b = whole(state.doc, Math.min(block.end, a + between(random, 1, 8)));
    return [a, b];
  };
  switch (kind) {
    case 'type': {
      if (block.node.type === schema.nodes.codeBlock) return { kind, tr: state.tr.insertText(pick(random, WORDS), at) };
      const marks = [];
      if (random() < 0.2) marks.push(schema.marks.bold!.create());
      if (random() < 0.15) marks.push(schema.marks.italic!.create());
      return { kind, tr: state.tr.insert(at, schema.text(pick(random, WORDS), marks)) };
    }
    case 'delete': {
      const [from, to] = rangeIn();
      return { kind, tr: from < to ? state.tr.delete(from, to) : null };
    }
    case 'delete-across': {
      const other = pick(random, blocks);
      const a = whole(state.doc, between(random, block.start, block.end));
      const b = whole(state.doc, between(random, other.start, other.end));
      const [from, to] = a < b ? [a, b] : [b, a];
      return { kind, tr: from < to ? state.tr.delete(from, to) : null };
    }
    case 'split': {
      const cursor = withCursor(state, at);
      return { kind, tr: run(cursor, splitListItem(schema.nodes.listItem!)) ?? run(cursor, splitBlock) };
    }
    case 'join':
      return { kind, tr: run(withCursor(state, block.start), joinBackward) };
    case 'list': {
      const cursor = withCursor(state, at);
      const inList = run(cursor, liftListItem(schema.nodes.listItem!));
      if (inList && random() < 0.4) return { kind, tr: inList };
      return { kind, tr: run(cursor, wrapInList(random() < 0.5 ? schema.nodes.bulletList! : schema.nodes.orderedList!)) };
    }
    case 'list-indent': {
      const cursor = withCursor(state, at);
      return { kind, tr: random() < 0.6 ? run(cursor, sinkListItem(schema.nodes.listItem!)) : run(cursor, liftListItem(schema.nodes.listItem!)) };
    }
    case 'heading': {
      const cursor = withCursor(state, at);
      const command = random() < 0.7 ? setBlockType(schema.nodes.heading!, { level: between(random, 1, 3) }) : setBlockType(schema.nodes.paragraph!);
      return { kind, tr: run(cursor, command) };
    }
    case 'mark':
    case 'unmark': {
      const [from, to] = rangeIn();
      if (from >= to) return { kind, tr: null };
      const mark = random() < 0.5 ? schema.marks.bold! : schema.marks.italic!;
      return { kind, tr: kind === 'mark' ? state.tr.addMark(from, to, mark.create()) : state.tr.removeMark(from, to, mark) };
    }
    case 'link': {
      const [from, to] = rangeIn();
      if (from >= to) return { kind, tr: null };
      return { kind, tr: state.tr.addMark(from, to, schema.marks.link!.create({ href: `https://example.com/${between(random, 1, 99)}` })) };
    }
    case 'blockquote': {
      const cursor = withCursor(state, at);
      return { kind, tr: random() < 0.6 ? run(cursor, wrapIn(schema.nodes.blockquote!)) : run(cursor, lift) };
    }
    case 'hard-break': {
      if (block.node.type === schema.nodes.codeBlock) return { kind, tr: null };
      return { kind, tr: state.tr.insert(at, schema.nodes.hardBreak!.create()) };
    }
  }
}

/**
 * One editor edit on `doc`: the ProseMirror document built from the
 * fragment, a random transaction, written back with updateYFragment in one
 * Yjs transaction. Returns the kind, or null when the edit did not apply
 * (the caller may try again) — the PRNG advanced either way.
 */
export function editYDoc(doc: Y.Doc, fragmentName: string, schema: Schema, random: Random, forced?: EditKind): EditKind | null {
  const fragment = doc.getXmlFragment(fragmentName);
  const { doc: initial, meta } = initProseMirrorDoc(fragment, schema);
  // An empty fragment is an empty editor: one empty paragraph.
  const pmDoc = initial.childCount === 0 ? schema.topNodeType.createAndFill()! : initial;
  const state = EditorState.create({ schema, doc: pmDoc });
  const { kind, tr } = randomEdit(state, random, forced);
  if (!tr || !tr.docChanged) return null;
  tr.doc.check();
  doc.transact(() => updateYFragment(doc, fragment, tr.doc, meta), 'chaos-editor');
  return kind;
}

/** The ProseMirror JSON of a fragment, without touching the Y.Doc (initProseMirrorDoc would repair it). */
export function fragmentJSON(doc: Y.Doc, fragmentName: string): unknown {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(fragmentName));
}

/** `pos`, moved back one if it falls between a high and a low surrogate. */
function whole(doc: PMNode, pos: number): number {
  if (pos <= 0 || pos >= doc.content.size) return pos;
  const before = doc.textBetween(pos - 1, pos);
  const after = doc.textBetween(pos, pos + 1);
  const high = before.length === 1 && before.charCodeAt(0) >= 0xd800 && before.charCodeAt(0) <= 0xdbff;
  const low = after.length === 1 && after.charCodeAt(0) >= 0xdc00 && after.charCodeAt(0) <= 0xdfff;
  return high && low ? pos - 1 : pos;
}

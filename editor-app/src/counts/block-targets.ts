import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Mapping } from '@tiptap/pm/transform';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { BLOCK_LENGTH_TARGET_ATTRIBUTE, BLOCK_LENGTH_TARGET_TYPES, parseBlockLengthTarget } from '@copycloud/schema/extensions';
import { countableText, countCharacters } from './count-text.js';

/**
 * Per-block length targets in the editor (COUNT6): the target is the
 * block's `lengthTarget` attribute (packages/schema block-length-target.ts);
 * this file finds the block at the cursor, sets or clears its target in one
 * transaction, and draws a quiet `n / limit` at the end of every block that
 * has one, red past the limit (COUNT5's rule: the limit itself is within).
 */

export interface BlockTargetStatus {
  /** Position before the block. */
  readonly pos: number;
  readonly characters: number;
  readonly limit: number;
  readonly state: 'within' | 'over';
}

const TARGETABLE = new Set<string>(BLOCK_LENGTH_TARGET_TYPES);

/** Characters of one block, counted as the document counts them (suggested deletions left out). */
export function blockCharacters(block: PMNode): number {
  return countCharacters(countableText(block));
}

/** Every block with a valid target, in document order. */
export function blockTargets(doc: PMNode): BlockTargetStatus[] {
  const found: BlockTargetStatus[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const limit = TARGETABLE.has(node.type.name) ? parseBlockLengthTarget(node.attrs[BLOCK_LENGTH_TARGET_ATTRIBUTE]) : null;
    if (limit !== null) {
      const characters = blockCharacters(node);
      found.push({ pos, characters, limit, state: characters > limit ? 'over' : 'within' });
    }
    return false;
  });
  return found;
}

export interface CursorBlock {
  readonly pos: number;
  readonly limit: number | null;
  readonly characters: number;
}

/** The paragraph or heading the selection starts in (also inside a list item or table cell); null in a code block or outside text. */
export function blockAtCursor(state: EditorState): CursorBlock | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (!node.isTextblock) continue;
    if (!TARGETABLE.has(node.type.name)) return null;
    return { pos: $from.before(depth), limit: parseBlockLengthTarget(node.attrs[BLOCK_LENGTH_TARGET_ATTRIBUTE]), characters: blockCharacters(node) };
  }
  return null;
}

/** Sets (or, with null, clears) the target of the block at `pos`: one step, undoable like any edit. */
export function setBlockTarget(tr: Transaction, pos: number, limit: number | null): Transaction {
  const node = tr.doc.nodeAt(pos);
  if (!node || !TARGETABLE.has(node.type.name)) throw new RangeError(`no paragraph or heading at ${pos}`);
  if (limit !== null && parseBlockLengthTarget(limit) === null) throw new RangeError(`a block target is a whole number of characters (1–1,000,000); got ${limit}`);
  return tr.setNodeAttribute(pos, BLOCK_LENGTH_TARGET_ATTRIBUTE, limit);
}

function decorations(doc: PMNode): DecorationSet {
  const targets = blockTargets(doc);
  if (targets.length === 0) return DecorationSet.empty;
  return DecorationSet.create(
    doc,
    targets.map((t) =>
      // Drawn by CSS from attributes on the block (::after), not as a widget in the text: no caret quirks at the block's end, nothing to select or copy.
      Decoration.node(t.pos, t.pos + doc.nodeAt(t.pos)!.nodeSize, {
        class: 'block-target',
        'data-block-target': `${t.characters.toLocaleString()} / ${t.limit.toLocaleString()}`,
        'data-block-target-state': t.state,
      }),
    ),
  );
}

const blockTargetsKey = new PluginKey<DecorationSet>('blockLengthTargets');

/**
 * A block whose type changes here (paragraph → heading, from the toolbar or
 * the slash menu) gets new attributes from ProseMirror, which would drop its
 * target: an "Ad headline" line made a heading must keep its 30. Changes
 * that came through Yjs (other people's, undo/redo) are left alone: the
 * person who made them carried the target over already.
 */
function keepTargetsAcrossTypeChanges(transactions: readonly Transaction[], oldState: EditorState, newState: EditorState): Transaction | null {
  if (!transactions.some((t) => t.docChanged) || transactions.some((t) => t.getMeta(ySyncPluginKey) !== undefined)) return null;
  const mapping = new Mapping();
  for (const t of transactions) mapping.appendMapping(t.mapping);
  let tr: Transaction | null = null;
  oldState.doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const limit = parseBlockLengthTarget(node.attrs[BLOCK_LENGTH_TARGET_ATTRIBUTE]);
    if (limit === null) return false;
    const mapped = mapping.mapResult(pos, -1);
    const now = mapped.deleted ? null : newState.doc.nodeAt(mapped.pos);
    if (now && now.type !== node.type && now.isTextblock && TARGETABLE.has(now.type.name) && parseBlockLengthTarget(now.attrs[BLOCK_LENGTH_TARGET_ATTRIBUTE]) === null) {
      tr ??= newState.tr;
      tr.setNodeAttribute(mapped.pos, BLOCK_LENGTH_TARGET_ATTRIBUTE, limit);
    }
    return false;
  });
  return tr;
}

/** Draws the per-block indicators (recounted only when the document changes) and keeps targets across block type changes. */
export function blockTargetsPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: blockTargetsKey,
    state: {
      init: (_config, state) => decorations(state.doc),
      apply: (tr, previous) => (tr.docChanged ? decorations(tr.doc) : previous),
    },
    props: {
      decorations: (state) => blockTargetsKey.getState(state),
    },
    appendTransaction: keepTargetsAcrossTypeChanges,
  });
}

export const BlockTargetIndicators = Extension.create({
  name: 'blockTargetIndicators',
  addProseMirrorPlugins() {
    return [blockTargetsPlugin()];
  },
});

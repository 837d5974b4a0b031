import type { Mark, MarkType, Node as PMNode } from '@tiptap/pm/model';
import { TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Mapping, ReplaceStep, Transform } from '@tiptap/pm/transform';
import { SUGGESTION_DELETE_MARK, SUGGESTION_INSERT_MARK, readSuggestionAttributes, type SuggestionAttributes } from '@copycloud/schema/extensions';

/** Who is suggesting, and how new suggestions get their time and id (injected so tests are deterministic). */
export interface SuggestionAuthorContext {
  readonly authorId: string;
  readonly authorName: string;
  now(): string;
  newId(): string;
}

/** Meta set on the transaction that rewrites an edit into suggestions (it is not rewritten again). */
export const SUGGESTION_REWRITE_META = 'copycloud:suggestion-rewrite';

/**
 * Suggesting mode, as an `appendTransaction`: the edit has been applied
 * (that is how ProseMirror and the DOM hand it to us); this returns the
 * transaction that turns the result into the same edit recorded as
 * suggestions, or null when there is nothing to change.
 *
 * How: the edit's steps are replayed on the document as it was before, each
 * text replacement (ReplaceStep) recorded instead of applied — the replaced
 * inline content stays and gets a `suggestionDelete` mark, the new content is
 * inserted after it with a `suggestionInsert` mark, both with one id (reused
 * from an adjacent suggestion of the same author, so typing a word letter by
 * letter is one suggestion). The result is compared with the edited document
 * and the difference replaced, so the shared Y.XmlText keeps its items
 * (y-tiptap diffs by string; struck text is re-formatted, not re-created, and
 * comment anchors on it survive).
 *
 * Rules (a Google Docs subset):
 * - Deleting one's own proposed insertion removes it; text already proposed
 *   for deletion stays as it is.
 * - Block structure is not suggested: a split (Enter) or a pasted block
 *   structure applies directly; a deletion across blocks strikes the text
 *   but keeps the blocks; block nodes (images, rules, tables) are not
 *   deleted. Text in blocks that take no marks (code blocks) is left alone.
 * - Steps other than text replacements (formatting, list wrapping) apply directly.
 * - After Backspace the cursor stands before the struck text (the next
 *   Backspace strikes the character before); after Delete or a selection,
 *   after it; after typing, after the new text.
 *
 * `rewrite(tr)` says which transactions to record as suggestions; the others
 * (remote changes, undo, accept/reject) apply as they are.
 */
export function rewriteAsSuggestions(
  oldState: EditorState,
  transactions: readonly Transaction[],
  newState: EditorState,
  author: SuggestionAuthorContext,
  rewrite: (tr: Transaction) => boolean,
): Transaction | null {
  if (!transactions.some((tr) => tr.docChanged && rewrite(tr))) return null;
  const schema = newState.schema;
  const insertType = schema.marks[SUGGESTION_INSERT_MARK];
  const deleteType = schema.marks[SUGGESTION_DELETE_MARK];
  if (!insertType || !deleteType) return null;

  const marked = new Transform(oldState.doc);
  // Maps positions of the original edit's current document into `marked`.
  let toMarked = new Mapping();
  let cursor: { position: number; stepsBefore: number } | null = null;

  for (const tr of transactions) {
    const recorded = rewrite(tr);
    for (const step of tr.steps) {
      const stepsBefore = marked.steps.length;
      if (recorded && step instanceof ReplaceStep) {
        const edit = recordReplace(marked, step, toMarked, { insertType, deleteType, author });
        const wasBackspace =
          transactions.length === 1 && tr.steps.length === 1 && oldState.selection.empty && step.slice.size === 0 && oldState.selection.head === stepTo(step);
        cursor = { position: edit.inserted ? edit.insertEnd : wasBackspace ? edit.deleteStart : edit.deleteEnd, stepsBefore: marked.steps.length };
      } else {
        const mapped = step.map(toMarked);
        if (mapped) marked.maybeStep(mapped);
      }
      const next = new Mapping();
      next.appendMap(step.getMap().invert());
      next.appendMapping(toMarked);
      for (let i = stepsBefore; i < marked.steps.length; i++) next.appendMap(marked.steps[i]!.getMap());
      toMarked = next;
    }
  }

  const target = marked.doc;
  const tr = replaceDifference(newState, target);
  if (cursor && newState.selection instanceof TextSelection && newState.selection.empty) {
    const { position, stepsBefore } = cursor as { position: number; stepsBefore: number };
    const final = marked.mapping.slice(stepsBefore).map(position);
    if (!tr.selection.eq(TextSelection.near(tr.doc.resolve(Math.min(final, tr.doc.content.size))))) {
      tr.setSelection(TextSelection.near(tr.doc.resolve(Math.min(final, tr.doc.content.size))));
    }
  }
  if (!tr.docChanged && !tr.selectionSet) return null;
  return tr.setMeta(SUGGESTION_REWRITE_META, true);
}

function stepTo(step: ReplaceStep): number {
  return (step as unknown as { to: number }).to;
}

interface RecordedEdit {
  readonly deleteStart: number;
  readonly deleteEnd: number;
  readonly inserted: boolean;
  readonly insertEnd: number;
}

/** Records one ReplaceStep of the original edit as suggestions on `marked`. Positions returned are in `marked.doc` after the step. */
function recordReplace(
  marked: Transform,
  step: ReplaceStep,
  toMarked: Mapping,
  types: { insertType: MarkType; deleteType: MarkType; author: SuggestionAuthorContext },
): RecordedEdit {
  const { from, to, slice } = step as unknown as { from: number; to: number; slice: ReplaceStep['slice'] };
  const { insertType, deleteType, author } = types;
  const doc = marked.doc;
  // Into `marked`, where earlier deletions of this edit still stand: an insertion goes after them.
  const start = toMarked.map(from, 1);
  const end = Math.max(start, from === to ? start : toMarked.map(to, -1));

  // Continuing a suggestion keeps its id and time, so its pieces stay one mark (one <ins>, one <del>).
  const attrs: SuggestionAttributes = adjacentSuggestion(doc, start, end, author.authorId) ?? {
    id: author.newId(),
    authorId: author.authorId,
    authorName: author.authorName,
    time: author.now(),
  };

  // Deletion: strike what may be struck, remove one's own proposals.
  const strike: Array<[number, number]> = [];
  const remove: Array<[number, number]> = [];
  if (start < end) {
    doc.nodesBetween(start, end, (node, pos, parent) => {
      if (!node.isInline) return true;
      if (!parent || !parent.type.allowsMarkType(deleteType)) return false;
      const a = Math.max(pos, start);
      const b = Math.min(pos + node.nodeSize, end);
      if (a >= b) return false;
      if (deleteType.isInSet(node.marks)) return false;
      const inserted = readSuggestionAttributes(insertType.isInSet(node.marks)?.attrs);
      if (inserted && inserted.authorId === author.authorId) remove.push([a, b]);
      else strike.push([a, b]);
      return false;
    });
  }
  const stepsBefore = marked.steps.length;
  for (const [a, b] of strike) marked.addMark(a, b, deleteType.create(attrs));
  for (const [a, b] of [...remove].reverse()) marked.delete(a, b);
  const afterDeletion = marked.mapping.slice(stepsBefore);
  const deleteStart = afterDeletion.map(start, -1);
  const deleteEnd = afterDeletion.map(end, 1);

  // Insertion: after the struck text, marked, unless it would land where marks are not allowed.
  let inserted = false;
  let insertEnd = deleteEnd;
  if (slice.size > 0) {
    const $at = marked.doc.resolve(deleteEnd);
    const allowed = !$at.parent.isTextblock || $at.parent.type.allowsMarkType(insertType);
    if (allowed) {
      const insertStepIndex = marked.steps.length;
      marked.replace(deleteEnd, deleteEnd, slice);
      if (marked.steps.length > insertStepIndex) {
        const map = marked.mapping.slice(insertStepIndex);
        insertEnd = map.map(deleteEnd, 1);
        const insertStart = map.map(deleteEnd, -1);
        marked.removeMark(insertStart, insertEnd, deleteType);
        marked.addMark(insertStart, insertEnd, insertType.create(attrs));
        inserted = true;
      }
    }
  }
  return { deleteStart, deleteEnd, inserted, insertEnd };
}

/** A suggestion by `authorId` touching [start, end), so contiguous edits form one suggestion. */
function adjacentSuggestion(doc: PMNode, start: number, end: number, authorId: string): SuggestionAttributes | null {
  const touching = (marks: readonly Mark[] | undefined) => {
    for (const mark of marks ?? []) {
      if (mark.type.name !== SUGGESTION_INSERT_MARK && mark.type.name !== SUGGESTION_DELETE_MARK) continue;
      const attrs = readSuggestionAttributes(mark.attrs);
      if (attrs && attrs.authorId === authorId) return attrs;
    }
    return null;
  };
  return touching(doc.resolve(start).nodeBefore?.marks) ?? touching(doc.resolve(end).nodeAfter?.marks) ?? touching(start < end ? doc.resolve(start).nodeAfter?.marks : undefined);
}

/** A transaction on `state` whose document is `target`, changing only the range where they differ. */
function replaceDifference(state: EditorState, target: PMNode): Transaction {
  const tr = state.tr;
  const current = state.doc;
  const start = current.content.findDiffStart(target.content);
  if (start === null) return tr;
  const ends = current.content.findDiffEnd(target.content);
  let endA = ends ? ends.a : current.content.size;
  let endB = ends ? ends.b : target.content.size;
  const overlap = start - Math.min(endA, endB);
  if (overlap > 0) {
    endA += overlap;
    endB += overlap;
  }
  tr.replace(start, endA, target.slice(start, endB));
  if (!tr.doc.eq(target)) {
    // The slice did not fit back as cut (rare block shapes): replace the whole content instead.
    const whole = state.tr.replaceWith(0, current.content.size, target.content);
    return whole;
  }
  return tr;
}

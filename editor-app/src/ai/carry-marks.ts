/**
 * Which of the original's formatting a rewrite keeps, as pure logic over
 * opaque marks (ProseMirror `Mark`s in the editor, strings in tests):
 *
 * - marks on ALL of the original's text (a bold sentence, a link around the
 *   whole selection) cover all of the rewrite;
 * - marks on PART of it (one bold word, one linked phrase) go to the same
 *   words in the rewrite when they are still there (first unused
 *   occurrence, whole words only), and are dropped when the words are gone.
 *
 * The rewrite's own text is never changed.
 */
export interface MarkedSpan<M> {
  readonly text: string;
  readonly marks: readonly M[];
}

export function carryMarks<M>(original: readonly MarkedSpan<M>[], rewrite: string, eq: (a: M, b: M) => boolean): MarkedSpan<M>[] {
  if (rewrite === '') return [];
  const has = (marks: readonly M[], mark: M) => marks.some((m) => eq(m, mark));
  const spans = original.filter((span) => span.text.trim() !== '');
  const uniform = spans.length === 0 ? [] : spans[0]!.marks.filter((mark) => spans.every((span) => has(span.marks, mark)));

  // Per character of the rewrite, the marks beyond the uniform ones.
  const extra: M[][] = Array.from({ length: rewrite.length }, () => []);
  const claimed = new Array<boolean>(rewrite.length).fill(false);
  for (const span of mergeRuns(spans, uniform, has)) {
    const start = findWholeWords(rewrite, span.text, claimed);
    if (start < 0) continue;
    for (let i = start; i < start + span.text.length; i++) {
      claimed[i] = true;
      extra[i]!.push(...span.marks);
    }
  }

  const result: MarkedSpan<M>[] = [];
  let from = 0;
  for (let i = 1; i <= rewrite.length; i++) {
    if (i < rewrite.length && sameMarks(extra[i]!, extra[from]!, eq)) continue;
    result.push({ text: rewrite.slice(from, i), marks: [...uniform, ...extra[from]!] });
    from = i;
  }
  return result;
}

/** Adjacent spans with the same non-uniform marks form one phrase ("bold words" split by the editor into two text nodes). */
function mergeRuns<M>(spans: readonly MarkedSpan<M>[], uniform: readonly M[], has: (marks: readonly M[], mark: M) => boolean): MarkedSpan<M>[] {
  const runs: { text: string; marks: M[] }[] = [];
  for (const span of spans) {
    const marks = span.marks.filter((mark) => !has(uniform, mark));
    const last = runs.at(-1);
    if (last && last.marks.length === marks.length && marks.every((mark) => has(last.marks, mark))) last.text += span.text;
    else runs.push({ text: span.text, marks });
  }
  return runs
    .filter((run) => run.marks.length > 0)
    .map((run) => ({ text: run.text.trim(), marks: run.marks }))
    .filter((run) => run.text !== '');
}

const WORD = /[\p{L}\p{N}_]/u;

/** First index of `needle` in `text` on word boundaries, not overlapping claimed characters; -1 when none. */
function findWholeWords(text: string, needle: string, claimed: readonly boolean[]): number {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + needle.length] ?? '';
    const boundaryBefore = before === '' || !WORD.test(before) || !WORD.test(needle[0]!);
    const boundaryAfter = after === '' || !WORD.test(after) || !WORD.test(needle.at(-1)!);
    if (boundaryBefore && boundaryAfter && !claimed.slice(at, at + needle.length).some(Boolean)) return at;
  }
  return -1;
}

function sameMarks<M>(a: readonly M[], b: readonly M[], eq: (a: M, b: M) => boolean): boolean {
  return a.length === b.length && a.every((mark) => b.some((other) => eq(mark, other)));
}

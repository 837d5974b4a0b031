import { formatMention, MENTION_PATTERN, type Mention } from '@copycloud/protocol';

/**
 * @mentions in the comment composer, as pure functions: what the caret is in
 * (`@que|`), which members match, what picking one does to the text, the keys
 * of the list, and the translation between what the person sees (`@Alice`)
 * and what the server parses (`@[Alice](userId)`, NOTIFY1).
 */

/** Someone who can be mentioned: a member of the document. */
export interface MentionCandidate {
  readonly userId: string;
  readonly name: string;
}

/** The `@query` being typed: `start` is the `@`, `end` the caret. */
export interface MentionQuery {
  readonly start: number;
  readonly end: number;
  readonly query: string;
}

/** Longest query looked back for (a full name with a space or two). */
export const MAX_QUERY_CHARS = 40;
/** Members offered at once. */
export const MAX_CANDIDATES = 8;

/**
 * The mention being typed at `caret`, if any: an `@` at the start or after
 * a space or an opening bracket, followed by at most `MAX_QUERY_CHARS`
 * characters on the same line up to the caret, not starting with a space. An
 * email address (`a@b`) is not a mention.
 */
export function activeMentionQuery(text: string, caret: number): MentionQuery | null {
  const from = Math.max(0, caret - MAX_QUERY_CHARS - 1);
  for (let at = caret - 1; at >= from; at--) {
    const char = text[at];
    if (char === '\n') return null;
    if (char !== '@') continue;
    const before = at === 0 ? ' ' : text[at - 1]!;
    if (!/[\s([{"'“‘]/.test(before)) return null;
    const query = text.slice(at + 1, caret);
    if (query.startsWith(' ') || /[@[\]()]/.test(query) || /\s{2}/.test(query)) return null;
    return { start: at, end: caret, query };
  }
  return null;
}

/** Lower case without accents: "Zoë" is found by "zoe". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Members matching `query`, best first: names that start with it, then names
 * with a word that starts with it, then names that contain it; alphabetical
 * within each; at most `limit`. An empty query lists everyone.
 */
export function filterCandidates(candidates: readonly MentionCandidate[], query: string, limit = MAX_CANDIDATES): MentionCandidate[] {
  const q = fold(query.trim());
  const ranked: Array<{ candidate: MentionCandidate; rank: number }> = [];
  for (const candidate of candidates) {
    const name = fold(candidate.name);
    const rank = q === '' || name.startsWith(q) ? 0 : name.split(/\s+/).some((word) => word.startsWith(q)) ? 1 : name.includes(q) ? 2 : -1;
    if (rank >= 0) ranked.push({ candidate, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.candidate.name.localeCompare(b.candidate.name));
  return ranked.slice(0, limit).map((r) => r.candidate);
}

/** Replaces the query with `@Name ` and puts the caret after the space. */
export function insertMention(text: string, query: MentionQuery, candidate: MentionCandidate): { text: string; caret: number } {
  const inserted = `@${displayName(candidate.name)} `;
  const after = text.slice(query.end).replace(/^ /, '');
  return { text: text.slice(0, query.start) + inserted + after, caret: query.start + inserted.length };
}

/** What a mention shows: the name as the wire form keeps it (no `]` or line breaks). */
function displayName(name: string): string {
  return name.replace(/[\]\n]/g, ' ').slice(0, 100);
}

/** The list's answer to a key while it is open. */
export type PickerKeyResult =
  | { readonly kind: 'move'; readonly highlighted: number }
  | { readonly kind: 'choose'; readonly index: number }
  | { readonly kind: 'dismiss' }
  | { readonly kind: 'ignore' };

/** ↑/↓ move (wrapping), Enter and Tab choose the highlighted member, Escape closes the list; other keys type. */
export function pickerKey(key: string, highlighted: number, count: number): PickerKeyResult {
  if (count === 0) return key === 'Escape' ? { kind: 'dismiss' } : { kind: 'ignore' };
  switch (key) {
    case 'ArrowDown':
      return { kind: 'move', highlighted: (highlighted + 1) % count };
    case 'ArrowUp':
      return { kind: 'move', highlighted: (highlighted - 1 + count) % count };
    case 'Enter':
    case 'Tab':
      return { kind: 'choose', index: Math.min(Math.max(highlighted, 0), count - 1) };
    case 'Escape':
      return { kind: 'dismiss' };
    default:
      return { kind: 'ignore' };
  }
}

/**
 * The body to send: every `@Name` of a member picked from the list becomes
 * `@[Name](userId)`. Longer names first (so "@Ann Lee" is not taken for
 * "@Ann"), and only where the name ends at a word boundary. A picked mention
 * the person then edited away is simply text.
 */
export function toWireBody(text: string, picked: readonly MentionCandidate[]): string {
  const byName = new Map<string, MentionCandidate>();
  for (const candidate of picked) if (!byName.has(displayName(candidate.name))) byName.set(displayName(candidate.name), candidate);
  if (byName.size === 0) return text;
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`@(${names.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
  return text.replace(pattern, (_all, name: string) => formatMention({ name, userId: byName.get(name)!.userId }));
}

/** A stored body for editing: mentions shown as `@Name`, and the members they name (so saving keeps them). */
export function toDisplayBody(body: string): { text: string; picked: MentionCandidate[] } {
  const picked: MentionCandidate[] = [];
  const text = body.replace(MENTION_PATTERN, (_all, name: string, userId: string) => {
    if (!picked.some((p) => p.userId === userId)) picked.push({ userId, name });
    return `@${name}`;
  });
  return { text, picked };
}

/** A body cut into text and mentions, to render mentions as names. */
export type BodySegment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'mention'; readonly mention: Mention };

export function bodySegments(body: string): BodySegment[] {
  const segments: BodySegment[] = [];
  let last = 0;
  for (const match of body.matchAll(MENTION_PATTERN)) {
    if (match.index > last) segments.push({ kind: 'text', text: body.slice(last, match.index) });
    segments.push({ kind: 'mention', mention: { name: match[1]!, userId: match[2]! } });
    last = match.index + match[0].length;
  }
  if (last < body.length) segments.push({ kind: 'text', text: body.slice(last) });
  return segments;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

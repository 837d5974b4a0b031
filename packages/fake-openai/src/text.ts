/**
 * Deterministic "model output" that reads like the product: the same prompt
 * always yields the same text, so tests can compare what reached the browser
 * with what the server sent, and a demo shows sentences rather than word
 * salad. No model weights: sentences and phrases from a small bundled corpus
 * (corpus.json), picked by a walk seeded with a hash of the prompt, and
 * simple rewrite rules (drop clauses, expand contractions, …) applied to the
 * text the request carries.
 *
 * The request is read the way services/ai writes it (prompt/prompt.ts): data
 * in `<tag>\n…\n</tag>` blocks, the task in the instructions around them. Any
 * other prompt is continued as text.
 */
import corpus from './corpus.json' with { type: 'json' };

/** Headline variants when the instructions do not say how many; and the most ever written. */
const DEFAULT_HEADLINES = 3;
const MAX_HEADLINES = 10;

/** FNV-1a, enough to seed a deterministic walk. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** xorshift32 over the prompt's hash. */
class Walk {
  private state: number;
  constructor(seed: number) {
    this.state = seed || 1;
  }
  next(): number {
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    this.state >>>= 0;
    return this.state;
  }
  chance(probability: number): boolean {
    return this.next() / 0x100000000 < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length]!;
  }
  /** `items` in a seeded order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

export type RewriteStyle = 'shorter' | 'longer' | 'friendlier' | 'professional' | 'persuasive' | 'fix_grammar' | 'polish';

/** What a prompt asks for, as far as the fake can tell. */
export type FakeTask =
  | { kind: 'continue'; before: string }
  | { kind: 'rewrite'; style: RewriteStyle; selection: string }
  | { kind: 'headlines'; count: number; selection: string };

/** The text of the last `<tag>\n…\n</tag>` block (services/ai's layout), or null. */
function tagged(prompt: string, tag: string): string | null {
  const pattern = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`, 'g');
  let found: string | null = null;
  for (const match of prompt.matchAll(pattern)) found = match[1]!;
  return found;
}

/** Tells the task from the instructions (everything outside the data blocks): continue, rewrite how, or headlines. */
export function readTask(prompt: string): FakeTask {
  const instructions = prompt.replace(/<([a-z_]+)>\n[\s\S]*?\n<\/\1>/g, ' ');
  const selection = tagged(prompt, 'selection');
  if (selection !== null) {
    const request = tagged(prompt, 'request');
    const wanted = request ?? instructions;
    const headlines = /(?:exactly\s+)?(\d+)?\s*(?:alternative\s+)?(?:headlines?|titles?)\b/i.exec(wanted);
    if (headlines && (request !== null || /headline/i.test(instructions))) {
      const count = headlines[1] ? Number(headlines[1]) : DEFAULT_HEADLINES;
      return { kind: 'headlines', count: Math.min(MAX_HEADLINES, Math.max(1, count)), selection };
    }
    return { kind: 'rewrite', style: styleOf(wanted), selection };
  }
  const before = tagged(prompt, 'document_before_cursor');
  return { kind: 'continue', before: before ?? prompt };
}

function styleOf(wanted: string): RewriteStyle {
  if (/\b(shorter|short|concise|brief|trim|cut)\b/i.test(wanted)) return 'shorter';
  if (/\b(longer|expand|elaborate|more detail)/i.test(wanted)) return 'longer';
  if (/\b(friendl|warm|casual|playful|fun\b)/i.test(wanted)) return 'friendlier';
  if (/\b(professional|formal|polished|serious)/i.test(wanted)) return 'professional';
  if (/\b(persuasi|convinc|sell|call to action)/i.test(wanted)) return 'persuasive';
  if (/\b(grammar|spelling|typo|proofread)/i.test(wanted)) return 'fix_grammar';
  return 'polish';
}

/** The whole answer to `prompt`. */
export function generateText(prompt: string): string {
  const walk = new Walk(hashText(prompt));
  const task = readTask(prompt);
  switch (task.kind) {
    case 'continue':
      return continuation(task.before, walk);
    case 'headlines':
      return headlineVariants(task.selection, task.count, walk).join('\n');
    case 'rewrite':
      return rewrite(task.selection, task.style, walk);
  }
}

/**
 * The answer as stream tokens: each a word with the whitespace before it, so
 * joined they are exactly the text. With `count`, exactly that many: more
 * sentences are appended when the answer is shorter, then it is cut.
 */
export function generateTokens(prompt: string, count?: number): string[] {
  const text = generateText(prompt);
  const tokens: string[] = text.match(/\s*\S+/g) ?? [];
  if (count === undefined) return tokens;
  const walk = new Walk(hashText(text) ^ 0x9e3779b9);
  while (tokens.length < count) tokens.push(...(` ${fill(walk.pick(corpus.continuations), walk.pick(corpus.topics))}`.match(/\s*\S+/g) ?? []));
  return tokens.slice(0, count);
}

/** The rough 4-characters-per-token estimate used for usage numbers. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

// ---------------------------------------------------------------- topics

const STOPWORDS = new Set(corpus.stopwords);
const DETERMINERS = new Set(corpus.determiners);
const WORD = /[\p{L}][\p{L}\p{N}'’-]*/gu;

function isContent(word: string): boolean {
  const lower = word.toLowerCase();
  return lower.length >= 3 && !STOPWORDS.has(lower) && !DETERMINERS.has(lower);
}

/**
 * Noun phrases the text talks about, most recent last: the one or two
 * content words after a determiner ("for the spring sale" → "spring sale"),
 * else longer content words. Lower case, except names (capitalised
 * mid-sentence) and acronyms.
 */
export function topicsOf(text: string): string[] {
  const words = [...text.matchAll(WORD)].map((m) => ({ word: m[0], index: m.index, sentenceStart: /(^|[.!?:\n]\s*)$/.test(text.slice(0, m.index)) }));
  const phrases: string[] = [];
  const keepCase = (w: { word: string; sentenceStart: boolean }) =>
    /^[\p{Lu}\p{N}]{2,}$/u.test(w.word) || (!w.sentenceStart && /^\p{Lu}/u.test(w.word)) ? w.word : w.word.toLowerCase();
  for (let i = 0; i < words.length; i++) {
    if (!DETERMINERS.has(words[i]!.word.toLowerCase())) continue;
    const run: string[] = [];
    for (let j = i + 1; j < words.length && run.length < 2 && isContent(words[j]!.word); j++) {
      // A phrase ends at punctuation between two words.
      if (run.length > 0 && /[^\s]/.test(text.slice(words[j - 1]!.index + words[j - 1]!.word.length, words[j]!.index))) break;
      run.push(keepCase(words[j]!));
    }
    if (run.length > 0) phrases.push(run.join(' '));
  }
  // No determiner to go by: runs of content words (the last two of each), names kept.
  if (phrases.length === 0) {
    let run: string[] = [];
    for (let i = 0; i <= words.length; i++) {
      const w = words[i];
      const joined = w && run.length > 0 && !/[^\s]/.test(text.slice(words[i - 1]!.index + words[i - 1]!.word.length, w.index));
      if (w && isContent(w.word) && w.word.length >= 4 && (run.length === 0 || joined)) {
        run.push(keepCase(w));
        continue;
      }
      if (run.length > 0) phrases.push(run.slice(-2).join(' '));
      run = w && isContent(w.word) && w.word.length >= 4 ? [keepCase(w)] : [];
    }
  }
  return phrases.filter((phrase, index) => phrases.lastIndexOf(phrase) === index);
}

function fill(template: string, topic: string): string {
  return template.replaceAll('{topic}', topic).replaceAll('{Topic}', titleCase(topic));
}

const SMALL_WORDS = new Set(['a', 'an', 'the', 'of', 'for', 'to', 'in', 'on', 'and', 'or', 'at', 'by', 'with']);
function titleCase(text: string): string {
  return text.replace(WORD, (word, offset: number) => (offset > 0 && SMALL_WORDS.has(word.toLowerCase()) ? word.toLowerCase() : upperFirst(word)));
}

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const lowerFirst = (text: string) => (/^(I\b|I'|[\p{Lu}\p{N}]{2,})/u.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1));

// ---------------------------------------------------------------- continuation

/**
 * One or two sentences that follow `before` on its topic: a sentence left
 * open is finished first (with a phrase from the corpus), and nothing the
 * document already says is repeated.
 */
function continuation(before: string, walk: Walk): string {
  const text = before.replace(/^…/, '');
  const topics = topicsOf(text.slice(-600));
  // The most recent topics are the likeliest to continue.
  const topic = topics.length > 0 ? walk.pick(topics.slice(-3)) : walk.pick(corpus.topics);
  const trimmed = text.trimEnd();
  const afterSpace = trimmed !== text || trimmed === '';
  const lastWord = /([\p{L}']+)\W*$/u.exec(trimmed)?.[1]?.toLowerCase() ?? '';
  const sentenceOver = trimmed === '' || /[.!?…:;"”)\]]$/.test(trimmed);
  const fresh = (templates: readonly string[]) => {
    const unused = walk.shuffle(templates).map((t) => fill(t, topic)).filter((s) => !text.includes(s));
    return unused[0] ?? fill(walk.pick(templates), topic);
  };
  const parts: string[] = [];
  if (!sentenceOver) {
    // "…for the" needs its noun before the phrase that ends the sentence.
    const noun = DETERMINERS.has(lastWord) ? `${topic.split(' ').at(-1)}, ` : '';
    parts.push(noun + fresh(corpus.tails));
  }
  if (sentenceOver || walk.chance(0.5)) parts.push(fresh(corpus.continuations));
  if (parts.length === 1 && sentenceOver && walk.chance(0.4)) {
    const second = fresh(corpus.continuations);
    if (second !== parts[0]) parts.push(second);
  }
  return (afterSpace ? '' : ' ') + parts.join(' ');
}

// ---------------------------------------------------------------- headlines

/** `count` different short headlines on the selection's topic. */
function headlineVariants(selection: string, count: number, walk: Walk): string[] {
  const topics = topicsOf(selection);
  const topic = topics[0] ?? firstWords(selection) ?? walk.pick(corpus.topics);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const template of walk.shuffle(corpus.headlines)) {
    const headline = fill(template, topic);
    if (seen.has(headline.toLowerCase())) continue;
    seen.add(headline.toLowerCase());
    out.push(headline);
    if (out.length === count) break;
  }
  return out;
}

function firstWords(text: string): string | null {
  const content = [...text.matchAll(WORD)].map((m) => m[0]).filter(isContent);
  return content.length > 0 ? content.slice(0, 2).join(' ').toLowerCase() : null;
}

// ---------------------------------------------------------------- rewrites

/** Rewrites each paragraph of the selection (blank lines between them are kept). */
function rewrite(selection: string, style: RewriteStyle, walk: Walk): string {
  const pieces = selection.split(/(\n+)/);
  let first = true;
  const out = pieces.map((piece) => {
    if (piece.trim() === '') return piece;
    const leading = /^\s*/.exec(piece)![0];
    const body = piece.trim();
    const result = rewriteParagraph(body, style, walk, first);
    first = false;
    return leading + result;
  });
  return out.join('').trim() || fill(walk.pick(corpus.continuations), walk.pick(corpus.topics));
}

function rewriteParagraph(text: string, style: RewriteStyle, walk: Walk, first: boolean): string {
  switch (style) {
    case 'shorter':
      return shorten(text);
    case 'longer':
      return lengthen(text, walk);
    case 'friendlier':
      return friendlier(text, walk, first);
    case 'professional':
      return professional(text);
    case 'persuasive':
      return persuasive(text, walk, first);
    case 'fix_grammar':
      return fixGrammar(text);
    case 'polish':
      return fixGrammar(removeFillers(text));
  }
}

const wordCount = (text: string) => (text.match(WORD) ?? []).length;

/** Sentences with their end punctuation and the space after them. */
function sentencesOf(text: string): string[] {
  return text.match(/[^.!?]+(?:[.!?]+["'”’)\]]*|$)\s*/g)?.filter((s) => s.trim() !== '') ?? [text];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces whole words or phrases, keeping a capital first letter; `'` also matches `’`. */
function replaceWords(text: string, map: Record<string, string>): string {
  let out = text;
  for (const [from, to] of Object.entries(map)) {
    const pattern = new RegExp(`(?<![\\p{L}'’])${escapeRegExp(from).replaceAll("'", "['’]")}(?![\\p{L}'’])`, 'giu');
    out = out.replace(pattern, (match) => (/^\p{Lu}/u.test(match) && !/^I\b/.test(to) ? upperFirst(to) : match === match.toUpperCase() && match.length > 1 ? to.toUpperCase() : to));
  }
  return out;
}

function removeFillers(text: string): string {
  // Only before a space: "good, really." keeps its last word rather than leaving ", .".
  const fillers = new RegExp(`(?<![\\p{L}'’])(?:${corpus.fillers.join('|')})\\s+`, 'giu');
  const out = text.replace(fillers, '');
  return /^\p{Lu}/u.test(text) ? upperFirst(out) : out;
}

const CLAUSE_BREAK = /,\s|\s(?:and|but|which|because|so that|while|although|though)\s|\s[–—-]\s|;\s/gi;

/** Drops parentheticals, wordy phrases, fillers and a trailing clause per sentence; keeps half the sentences when that is not a third shorter. */
function shorten(text: string): string {
  const sentences = sentencesOf(text);
  const shortened = sentences.map((sentence) => {
    const end = /[.!?]+["'”’)\]]*\s*$/.exec(sentence)?.[0]?.trim() ?? '';
    let body = sentence.slice(0, sentence.length - (/[.!?]+["'”’)\]]*\s*$/.exec(sentence)?.[0]?.length ?? 0)).trim();
    body = body.replace(/\s*\([^)]*\)/g, '');
    body = replaceWords(body, corpus.wordy);
    body = removeFillers(body);
    for (const match of body.matchAll(CLAUSE_BREAK)) {
      if (match.index >= Math.max(12, body.length * 0.35)) {
        body = body.slice(0, match.index);
        break;
      }
    }
    body = body.replace(/\s{2,}/g, ' ').replace(/[\s,;:–—-]+$/, '');
    return upperFirst(body) + (end || (sentences.length > 1 ? '.' : ''));
  });
  let kept = shortened;
  if (sentences.length > 1 && wordCount(kept.join(' ')) > wordCount(text) * 0.67) kept = kept.slice(0, Math.ceil(kept.length / 2));
  return kept.join(' ');
}

/** The paragraph and a sentence or two more on its topic, about half again as long. */
function lengthen(text: string, walk: Walk): string {
  const topics = topicsOf(text);
  const topic = topics.length > 0 ? walk.pick(topics) : walk.pick(corpus.topics);
  const target = wordCount(text) * 1.5;
  let out = /[.!?]["'”’)\]]*$/.test(text) ? text : `${text}.`;
  for (const template of walk.shuffle(corpus.continuations)) {
    if (wordCount(out) >= target && out !== text) break;
    out += ` ${fill(template, topic)}`;
  }
  return out;
}

function friendlier(text: string, walk: Walk, first: boolean): string {
  let out = replaceWords(replaceWords(fixGrammar(text), corpus.casual), corpus.contractions);
  if (first && walk.chance(0.6)) {
    const opener = walk.pick(corpus.openers);
    out = `${opener} ${/[!?]$/.test(opener) ? out : lowerFirst(out)}`;
  }
  // One exclamation mark at the end, never a row of them.
  return out.replace(/\.(["'”’)\]]*)$/, '!$1');
}

const EXPANSIONS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(corpus.contractions).map(([long, short]) => [short, long])),
  "can't": 'cannot',
  "won't": 'will not',
  "it's": 'it is',
  "I'd": 'I would',
  "we'd": 'we would',
  "you'd": 'you would',
  "they'll": 'they will',
  "they've": 'they have',
  "who's": 'who is',
};

/** Contractions expanded, casual words made formal, exclamation marks calmed. */
function professional(text: string): string {
  return replaceWords(replaceWords(fixGrammar(text), EXPANSIONS), corpus.formal)
    .replace(/!+/g, '.')
    .replace(/\.{2,}$/, '.');
}

/** Leads with a benefit, ends with a call to action. */
function persuasive(text: string, walk: Walk, first: boolean): string {
  const topic = topicsOf(text)[0] ?? walk.pick(corpus.topics);
  const body = /[.!?]["'”’)\]]*$/.test(text) ? text : `${text}.`;
  return first ? `${fill(walk.pick(corpus.leads), topic)} ${body} ${walk.pick(corpus.calls)}` : body;
}

/** Misspellings, doubled words, "i", spacing around punctuation, sentence capitals, "a" before a vowel, the final full stop. */
function fixGrammar(text: string): string {
  let out = replaceWords(text, corpus.misspellings);
  out = out.replace(/(?<![\p{L}'’])(\p{L}+)\s+\1(?![\p{L}'’])/giu, '$1');
  out = out.replace(/(?<![\p{L}'’.])i(?=$|[\s,;:!?'’])/gu, 'I');
  out = out.replace(/\s+([,.;:!?])/g, '$1');
  out = out.replace(/([,;:!?])(?=\p{L})/gu, '$1 ');
  out = out.replace(/\.(?=\p{Lu}\p{Ll})/gu, '. ');
  out = out.replace(/ {2,}/g, ' ');
  out = out.replace(/(?<![\p{L}'’])(a)\s+(?=[aeio]\p{L})/giu, (_m, a: string) => `${a === 'A' ? 'An' : 'an'} `);
  out = out.replace(/(^|[.!?]\s+)(\p{Ll})/gu, (_m, lead: string, letter: string) => lead + letter.toUpperCase());
  if (wordCount(out) >= 3 && !/[.!?:]["'”’)\]]*$/.test(out)) out += '.';
  return out;
}

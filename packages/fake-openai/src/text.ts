/**
 * Deterministic "model output": the same prompt always yields the same
 * tokens, so tests can compare what reached the browser with what the server
 * sent. No model weights: a seeded walk through a small copywriting vocabulary.
 */
const WORDS = [
  'bright', 'simple', 'copy', 'that', 'sells', 'your', 'story', 'with', 'clear', 'words', 'every', 'reader',
  'remembers', 'today', 'teams', 'write', 'faster', 'together', 'and', 'ship', 'campaigns', 'people', 'love',
  'fresh', 'ideas', 'meet', 'honest', 'benefits', 'in', 'one', 'place', 'for', 'the', 'launch', 'week',
];

export const DEFAULT_TOKENS = 24;

/** FNV-1a, enough to seed a deterministic walk. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `count` tokens (words with their leading space), derived from `prompt`. */
export function generateTokens(prompt: string, count: number): string[] {
  let state = hashText(prompt) || 1;
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const word = WORDS[state % WORDS.length]!;
    const last = i === count - 1;
    tokens.push(`${i === 0 ? ' ' + capitalize(word) : ' ' + word}${last ? '.' : ''}`);
  }
  return tokens;
}

/** The rough 4-characters-per-token estimate used for usage numbers. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Colours for suggestions, picked by author id so every replica shows one person in one colour. */
const PALETTE = ['#15803d', '#7c3aed', '#c2410c', '#0369a1', '#be185d', '#4d7c0f', '#b45309', '#0f766e'] as const;

export function authorColor(authorId: string): string {
  let hash = 0;
  for (let i = 0; i < authorId.length; i++) hash = (hash * 31 + authorId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

import type * as Y from 'yjs';

/**
 * An optional length target per document, in characters (as counted by
 * count-text.ts). Kept in the Y.Doc's root map `settings` under
 * `lengthTarget`, so it syncs live, is stored with the document and is
 * restored with it; editors set it (viewers' and commenters' sockets are
 * read-only). A value that does not validate reads as "no target".
 */
export const SETTINGS_FIELD = 'settings';
export const LENGTH_TARGET_KEY = 'lengthTarget';

export type LengthPreset = 'tweet' | 'meta-description' | 'ad-headline' | 'ad-description' | 'custom';

export const LENGTH_PRESETS: ReadonlyArray<{ readonly preset: Exclude<LengthPreset, 'custom'>; readonly label: string; readonly characters: number }> = [
  { preset: 'tweet', label: 'Tweet', characters: 280 },
  { preset: 'meta-description', label: 'Meta description', characters: 155 },
  { preset: 'ad-headline', label: 'Ad headline', characters: 30 },
  { preset: 'ad-description', label: 'Ad description', characters: 90 },
];

/** Bounds of a custom target. */
export const MIN_TARGET_CHARACTERS = 1;
export const MAX_TARGET_CHARACTERS = 1_000_000;

export interface LengthTarget {
  readonly preset: LengthPreset;
  readonly characters: number;
}

export function presetTarget(preset: Exclude<LengthPreset, 'custom'>): LengthTarget {
  const found = LENGTH_PRESETS.find((p) => p.preset === preset)!;
  return { preset, characters: found.characters };
}

export function parseLengthTarget(value: unknown): LengthTarget | null {
  if (!value || typeof value !== 'object') return null;
  const { preset, characters } = value as Record<string, unknown>;
  if (typeof characters !== 'number' || !Number.isInteger(characters) || characters < MIN_TARGET_CHARACTERS || characters > MAX_TARGET_CHARACTERS) return null;
  if (preset === 'custom') return { preset, characters };
  const known = LENGTH_PRESETS.find((p) => p.preset === preset);
  // A preset's length is the preset's, whatever was stored beside it.
  return known ? { preset: known.preset, characters: known.characters } : null;
}

export function readLengthTarget(doc: Y.Doc): LengthTarget | null {
  return parseLengthTarget(doc.getMap(SETTINGS_FIELD).get(LENGTH_TARGET_KEY));
}

/** Sets (or, with null, removes) the document's target. */
export function writeLengthTarget(doc: Y.Doc, target: LengthTarget | null): void {
  const settings = doc.getMap(SETTINGS_FIELD);
  if (target === null) {
    if (settings.has(LENGTH_TARGET_KEY)) settings.delete(LENGTH_TARGET_KEY);
    return;
  }
  const valid = parseLengthTarget(target);
  if (!valid) throw new RangeError(`a length target is ${MIN_TARGET_CHARACTERS}–${MAX_TARGET_CHARACTERS} characters; got ${JSON.stringify(target)}`);
  settings.set(LENGTH_TARGET_KEY, { preset: valid.preset, characters: valid.characters });
}

/** Calls `listener` whenever the target changes (locally or from someone else). Returns the unsubscribe function. */
export function onLengthTarget(doc: Y.Doc, listener: (target: LengthTarget | null) => void): () => void {
  const settings = doc.getMap(SETTINGS_FIELD);
  const observer = (event: Y.YMapEvent<unknown>) => {
    if (event.keysChanged.has(LENGTH_TARGET_KEY)) listener(readLengthTarget(doc));
  };
  settings.observe(observer);
  return () => settings.unobserve(observer);
}

export type TargetStatus = { readonly kind: 'none' } | { readonly kind: 'within' | 'over'; readonly characters: number; readonly limit: number; readonly remaining: number };

export function targetStatus(characters: number, target: LengthTarget | null): TargetStatus {
  if (!target) return { kind: 'none' };
  const remaining = target.characters - characters;
  return { kind: remaining < 0 ? 'over' : 'within', characters, limit: target.characters, remaining };
}

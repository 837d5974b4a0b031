import type { KeyValueStorage } from '../sync/durability-record.js';

/** Who this tab is to the other people in a document (the awareness `user`). */
export interface UserIdentity {
  /** The account id when signed in (guests included); a tab's own guest identity has none. */
  readonly id?: string;
  readonly name: string;
  readonly color: string;
}

const ADJECTIVES = [
  'Teal', 'Amber', 'Coral', 'Indigo', 'Jade', 'Crimson', 'Golden', 'Silver',
  'Swift', 'Quiet', 'Bright', 'Clever', 'Brave', 'Gentle', 'Lucky', 'Sunny',
];
const ANIMALS = [
  'Otter', 'Falcon', 'Badger', 'Heron', 'Lynx', 'Panda', 'Fox', 'Owl',
  'Dolphin', 'Koala', 'Marten', 'Puffin', 'Raven', 'Seal', 'Tiger', 'Wren',
];
/** Saturated enough for a caret, dark enough for white label text. */
export const GUEST_COLORS = [
  '#0f766e', '#b45309', '#be123c', '#4338ca', '#15803d', '#7e22ce',
  '#0369a1', '#c2410c', '#a21caf', '#4d7c0f',
] as const;

const STORAGE_KEY = 'copycloud:guest-identity';

export type RandomIndex = (length: number) => number;

export const cryptoRandomIndex: RandomIndex = (length) => {
  const value = new Uint32Array(1);
  globalThis.crypto.getRandomValues(value);
  return (value[0] ?? 0) % length;
};

export function randomGuestIdentity(randomIndex: RandomIndex = cryptoRandomIndex): UserIdentity {
  const pick = <T>(items: readonly T[]): T => items[randomIndex(items.length)] as T;
  return { name: `${pick(ADJECTIVES)} ${pick(ANIMALS)}`, color: pick(GUEST_COLORS) };
}

/**
 * The guest identity of this tab. Kept in sessionStorage: a reload keeps the
 * name (so your caret does not change hands), a new tab is a new guest.
 */
export function loadGuestIdentity(storage: KeyValueStorage, randomIndex: RandomIndex = cryptoRandomIndex): UserIdentity {
  const stored = parseIdentity(storage.getItem(STORAGE_KEY));
  if (stored) return stored;
  const identity = randomGuestIdentity(randomIndex);
  storage.setItem(STORAGE_KEY, JSON.stringify(identity));
  return identity;
}

function parseIdentity(text: string | null): UserIdentity | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { name, color } = value as Record<string, unknown>;
    if (typeof name !== 'string' || name.length === 0 || name.length > 64) return null;
    if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return null;
    return { name, color };
  } catch {
    return null; // unreadable entry: start as a fresh guest
  }
}

/** Initials for an avatar: "Teal Otter" -> "TO". */
export function initialsOf(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() ?? '');
  return letters.slice(0, 2).join('') || '?';
}

/**
 * Seeded randomness for every scenario (fault schedules and fuzzers):
 * mulberry32, and one stream per scenario derived from the run's seed and
 * the scenario's name, so `--seed N` replays every scenario's schedule
 * (which writer types, when faults hit, which edits and mutations) whether
 * it runs alone (`--only`) or in the whole suite.
 */
import { mulberry32 } from '@copycloud/testing';

export { mulberry32 };
export type Random = () => number;

/** FNV-1a of `name` mixed with `seed`. */
export function deriveSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function streamFor(seed: number, name: string): Random {
  return mulberry32(deriveSeed(seed, name));
}

/** Integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(random() * items.length)]!;
}

/** Picks by weight: `[[weight, value], …]`. */
export function weighted<T>(random: Random, choices: ReadonlyArray<readonly [number, T]>): T {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [weight, value] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return choices[choices.length - 1]![1];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

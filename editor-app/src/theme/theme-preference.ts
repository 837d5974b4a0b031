import type { KeyValueStorage } from '../sync/durability-record.js';

/** What the person picked: follow the system, or always light / dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** One key for the browser: the look of the app, not a per-account setting. */
export const THEME_STORAGE_KEY = 'copycloud:theme';

export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** The `data-theme` written on <html>: none follows prefers-color-scheme (theme.css). */
export function themeAttributeOf(choice: ThemeChoice): 'light' | 'dark' | null {
  return choice === 'system' ? null : choice;
}

/** Where the choice shows: <html> (or a stand-in in tests). */
export interface ThemeRoot {
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}

/**
 * The theme choice of this browser, kept in storage and written on the root
 * element; an external store for React (`useSyncExternalStore`). Storage that
 * refuses writes (private mode, quota) keeps the choice for this page only.
 */
export class ThemePreference {
  private choice: ThemeChoice;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValueStorage | null,
    private readonly root: ThemeRoot,
  ) {
    this.choice = parseThemeChoice(readSafely(storage));
    this.apply();
  }

  readonly getSnapshot = (): ThemeChoice => this.choice;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(choice: ThemeChoice): void {
    if (choice === this.choice) return;
    this.choice = choice;
    try {
      this.storage?.setItem(THEME_STORAGE_KEY, choice);
    } catch (error) {
      console.warn('The theme choice could not be stored; it lasts for this page', error);
    }
    this.apply();
    for (const listener of this.listeners) listener();
  }

  private apply(): void {
    const attribute = themeAttributeOf(this.choice);
    if (attribute) this.root.setAttribute('data-theme', attribute);
    else this.root.removeAttribute('data-theme');
  }
}

function readSafely(storage: KeyValueStorage | null): string | null {
  try {
    return storage?.getItem(THEME_STORAGE_KEY) ?? null;
  } catch (error) {
    console.warn('The stored theme choice could not be read', error);
    return null;
  }
}

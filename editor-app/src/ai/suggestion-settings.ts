import type { KeyValueStorage } from '../sync/durability-record.js';
import type { AiUiStore } from './ai-ui-store.js';

/** Whose setting it is when nobody is signed in (auth disabled): this browser's. */
export const NO_USER = 'this-browser';

/** One key per user: two accounts on one browser keep their own choice. */
export function autoSuggestKey(userId: string | undefined): string {
  return `copycloud:ai-auto-suggest:${userId ?? NO_USER}`;
}

/** Automatic suggestions are on unless this user switched them off. */
export function loadAutoSuggest(storage: KeyValueStorage | null, userId: string | undefined): boolean {
  return storage?.getItem(autoSuggestKey(userId)) !== 'off';
}

export function saveAutoSuggest(storage: KeyValueStorage | null, userId: string | undefined, on: boolean): void {
  storage?.setItem(autoSuggestKey(userId), on ? 'on' : 'off');
}

/** localStorage, or null where the browser refuses it (e.g. storage disabled): the setting then lasts for the page only. */
export function browserStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch (error) {
    console.warn('localStorage is unavailable; AI settings will not be remembered', error);
    return null;
  }
}

/** The "Suggest while typing" switch of one user, kept in storage and shown through the AI UI store. */
export class AutoSuggestSetting {
  constructor(
    private readonly ui: AiUiStore,
    private readonly storage: KeyValueStorage | null,
    private readonly userId: string | undefined,
  ) {}

  /** Shows this user's stored choice (call from an effect, not while rendering). */
  load(): void {
    this.ui.update({ autoSuggest: loadAutoSuggest(this.storage, this.userId) });
  }

  set(on: boolean): void {
    saveAutoSuggest(this.storage, this.userId, on);
    this.ui.update({ autoSuggest: on });
  }
}

import type { EditingMode } from './suggesting-plugin.js';

/**
 * Editing/Suggesting is remembered per document for this browser session
 * (sessionStorage: a reload keeps it, a new tab starts in Editing, like
 * Google Docs' mode menu). Storage is injected; a browser that refuses it
 * just forgets.
 */
export class EditingModeMemory {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {}

  private key(documentId: string): string {
    return `copycloud:editing-mode:${documentId}`;
  }

  load(documentId: string): EditingMode {
    try {
      return this.storage?.getItem(this.key(documentId)) === 'suggesting' ? 'suggesting' : 'editing';
    } catch (error) {
      console.warn('could not read the editing mode from sessionStorage', error);
      return 'editing';
    }
  }

  save(documentId: string, mode: EditingMode): void {
    try {
      this.storage?.setItem(this.key(documentId), mode);
    } catch (error) {
      console.warn('could not remember the editing mode in sessionStorage', error);
    }
  }
}

export function browserSessionStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // Storage access can throw (disabled cookies/storage); then the mode is not remembered.
    return null;
  }
}

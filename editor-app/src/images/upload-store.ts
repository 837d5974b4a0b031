/** One image on its way into the document, or one that did not make it. */
export interface UploadEntry {
  readonly id: number;
  readonly fileName: string;
  /** 0–100. */
  readonly percent: number;
  readonly state: 'uploading' | 'failed';
  readonly error?: string;
}

/**
 * What the upload strip shows (progress and failures), as an external store
 * for `useSyncExternalStore`: finished uploads leave the list, failures stay
 * until dismissed.
 */
export class UploadStore {
  private entries: readonly UploadEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private nextId = 1;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly UploadEntry[] => this.entries;

  start(fileName: string): number {
    const id = this.nextId++;
    this.set([...this.entries, { id, fileName, percent: 0, state: 'uploading' }]);
    return id;
  }

  progress(id: number, percent: number): void {
    this.set(this.entries.map((entry) => (entry.id === id && entry.percent !== percent ? { ...entry, percent } : entry)));
  }

  done(id: number): void {
    this.set(this.entries.filter((entry) => entry.id !== id));
  }

  /** A failure with no upload behind it (a refused file) gets an entry of its own. */
  fail(id: number | null, fileName: string, error: string): void {
    if (id === null) {
      this.set([...this.entries, { id: this.nextId++, fileName, percent: 0, state: 'failed', error }]);
      return;
    }
    this.set(this.entries.map((entry) => (entry.id === id ? { ...entry, state: 'failed', error } : entry)));
  }

  dismiss(id: number): void {
    this.done(id);
  }

  private set(entries: readonly UploadEntry[]): void {
    if (entries.length === this.entries.length && entries.every((entry, index) => entry === this.entries[index])) return;
    this.entries = entries;
    for (const listener of this.listeners) listener();
  }
}

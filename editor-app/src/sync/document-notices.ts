/**
 * Things the node pushes about the document itself (not its content or the
 * connection): for now its new name after a rename. Read with
 * useSyncExternalStore; null until someone renames it while it is open.
 */
export class DocumentNotices {
  private title: string | null = null;
  private readonly listeners = new Set<() => void>();

  renamed(title: string): void {
    if (title === this.title) return;
    this.title = title;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getTitle = (): string | null => this.title;
}

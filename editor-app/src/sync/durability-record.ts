import { mergeStateVectors, type StateVector } from './pending-changes.js';
import { pendingEdits, recordEdit, type Edit } from './pending-edits.js';

/** The slice of the Web Storage API we use; injected so tests need no browser. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * What this browser knows about saving one document, kept across reloads:
 * - `localAuthors`: Yjs clientIDs that authored local edits here. A reload
 *   gets a new clientID, so without this list edits made offline before the
 *   reload would stop counting as pending.
 * - `durable`: the highest state vector the server acknowledged as committed,
 *   so after a reload already-saved edits do not show as pending while we wait
 *   for the next acknowledgement.
 * It lives in localStorage next to the document's IndexedDB; both are per
 * origin, so the record and the edits it describes are lost together.
 */
export class DurabilityRecord {
  private readonly key: string;
  private authors = new Set<number>();
  private durableVector: Map<number, number> = new Map();
  private editList: Edit[] = [];

  constructor(
    private readonly storage: KeyValueStorage,
    documentId: string,
  ) {
    this.key = `copycloud:durability:${documentId}`;
    this.reload();
  }

  get localAuthors(): ReadonlySet<number> {
    return this.authors;
  }

  get durable(): StateVector {
    return this.durableVector;
  }

  /** Local edits not yet known durable (see pending-edits.ts), kept so a reload counts them the same way. */
  get edits(): readonly Edit[] {
    return this.editList;
  }

  recordLocalEdit(clientId: number, before: number, after: number, now: number): void {
    if (after <= before) return;
    this.editList = recordEdit(this.editList, clientId, before, after, now);
    this.save();
  }

  /** Returns true when `clientId` was new (and is now recorded). */
  addLocalAuthor(clientId: number): boolean {
    if (this.authors.has(clientId)) return false;
    this.reload(); // another tab of this document may have written meanwhile
    this.authors.add(clientId);
    this.save();
    return true;
  }

  recordDurable(vector: StateVector): void {
    this.reload();
    this.durableVector = mergeStateVectors(this.durableVector, vector);
    this.editList = pendingEdits(this.editList, this.durableVector);
    this.save();
  }

  private reload(): void {
    const stored = parseRecord(this.storage.getItem(this.key));
    this.authors = new Set([...this.authors, ...stored.authors]);
    this.durableVector = mergeStateVectors(this.durableVector, new Map(stored.durable));
    if (this.editList.length === 0) this.editList = pendingEdits(stored.edits, this.durableVector);
  }

  private save(): void {
    const value: StoredRecord = { v: 1, authors: [...this.authors], durable: [...this.durableVector], edits: this.editList };
    this.storage.setItem(this.key, JSON.stringify(value));
  }
}

interface StoredRecord {
  v: 1;
  authors: number[];
  durable: [number, number][];
  /** Added later: absent in older records. */
  edits: Edit[];
}

function parseRecord(text: string | null): StoredRecord {
  const empty: StoredRecord = { v: 1, authors: [], durable: [], edits: [] };
  if (text === null) return empty;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return empty; // corrupt entry: worst case some saved edits show as pending until the next ack
  }
  if (typeof value !== 'object' || value === null) return empty;
  const record = value as Partial<StoredRecord>;
  const authors = Array.isArray(record.authors) ? record.authors.filter(isClock) : [];
  const durable = Array.isArray(record.durable)
    ? record.durable.filter(
        (entry): entry is [number, number] => Array.isArray(entry) && isClock(entry[0]) && isClock(entry[1]),
      )
    : [];
  const edits = Array.isArray(record.edits)
    ? record.edits.filter(
        (e): e is Edit => typeof e === 'object' && e !== null && isClock(e.client) && isClock(e.from) && isClock(e.to) && isClock(e.at),
      )
    : [];
  return { v: 1, authors, durable, edits };
}

function isClock(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

import * as Y from 'yjs';

type Struct = Y.Item | Y.GC | Y.Skip;

/** Yjs' DeleteSet as decodeUpdate returns it (the class is not exported by name). */
export interface DecodedDeleteSet {
  clients: Map<number, Array<{ clock: number; len: number }>>;
}

/** How deep a chain of parents (or origins) inside one update we follow before giving up. */
const MAX_CHAIN_DEPTH = 10_000;

/**
 * Protected roots are root types of the document that only the server writes
 * (e.g. `comments`, written through the review API, and `restores`, the
 * restore marks). A client update must not touch them, which means:
 *
 * - every struct's root — its parent's name, or the root reached from its
 *   parent item, or (when the parent is left out, as Yjs does for an item
 *   with a left or right neighbour) from its origin / right origin, looked up
 *   in the update itself or in the document — is not protected;
 * - every deletion's target items, where the document holds them and they are
 *   not deleted already, are not under a protected root. (A client's sync
 *   step 2 carries its whole delete set, including the server's own earlier
 *   deletions there: those change nothing and pass.)
 *
 * A struct whose root cannot be determined (it refers to an item neither the
 * update nor the document holds) is refused too: Yjs would keep it pending
 * and integrate it wherever that item turns up later, which could be a thread
 * the server creates next. Honest clients refer only to what they have seen,
 * which the node holds (or their update carries).
 *
 * Returns a problem description, or null when the update writes no protected root.
 */
export function findProtectedRootWrite(
  structs: readonly Struct[],
  ds: DecodedDeleteSet,
  target: Y.Doc | undefined,
  protectedRoots: ReadonlySet<string>,
): { problem: string; unresolved: boolean } | null {
  if (protectedRoots.size === 0) return null;
  const own = new Map<number, Struct[]>();
  for (const struct of structs) {
    let list = own.get(struct.id.client);
    if (!list) own.set(struct.id.client, (list = []));
    list.push(struct);
  }
  const roots = new RootFinder(own, target);

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const root = roots.ofUpdateItem(struct);
    const where = `struct ${struct.id.client}:${struct.id.clock}`;
    if (root.kind === 'unknown') return { problem: `${where} ${root.why}; cannot prove it is outside the protected roots`, unresolved: true };
    if (root.kind === 'root' && protectedRoots.has(root.name)) return { problem: `${where} writes the server-only root "${root.name}"`, unresolved: false };
  }

  if (!target) return null;
  for (const [client, deletions] of ds.clients) {
    const structsOfClient = target.store.clients.get(client) as Struct[] | undefined;
    if (!structsOfClient || structsOfClient.length === 0) continue;
    for (const { clock, len } of deletions) {
      const end = clock + len;
      const last = structsOfClient[structsOfClient.length - 1]!;
      if (clock >= last.id.clock + last.length) continue;
      let index = clock <= structsOfClient[0]!.id.clock ? 0 : Y.findIndexSS(structsOfClient as Array<Y.Item | Y.GC>, clock);
      for (; index < structsOfClient.length; index++) {
        const struct = structsOfClient[index]!;
        if (struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const root = roots.ofIntegratedItem(struct);
        if (root !== null && protectedRoots.has(root)) {
          return { problem: `deletion ${client}:${clock}+${len} deletes item ${struct.id.client}:${struct.id.clock} of the server-only root "${root}"`, unresolved: false };
        }
      }
    }
  }
  return null;
}

type RootOf = { kind: 'root'; name: string } | { kind: 'garbage' } | { kind: 'unknown'; why: string };

/** Resolves roots of the update's items and of integrated items, memoizing both. */
class RootFinder {
  private readonly integrated = new Map<Y.AbstractType<unknown>, string | null>();
  private readonly decoded = new Map<Y.Item, RootOf>();

  constructor(
    private readonly own: Map<number, Struct[]>,
    private readonly target: Y.Doc | undefined,
  ) {}

  /** The root of an item as decoded from the update (parent is a name, an id, or left out). */
  ofUpdateItem(item: Y.Item, depth = 0): RootOf {
    const cached = this.decoded.get(item);
    if (cached) return cached;
    if (depth > MAX_CHAIN_DEPTH) return { kind: 'unknown', why: `has a chain of more than ${MAX_CHAIN_DEPTH} references` };
    const result = this.compute(item, depth);
    this.decoded.set(item, result);
    return result;
  }

  private compute(item: Y.Item, depth: number): RootOf {
    const parent = item.parent as unknown as string | Y.ID | null;
    if (typeof parent === 'string') return { kind: 'root', name: parent };
    if (parent instanceof Y.ID) return this.ofReference(parent, 'parent', depth);
    // No parent written: Yjs takes the origin's parent, else the right origin's.
    if (item.origin) return this.ofReference(item.origin, 'origin', depth);
    if (item.rightOrigin) return this.ofReference(item.rightOrigin, 'right origin', depth);
    return { kind: 'unknown', why: 'has neither a parent nor an origin' };
  }

  /**
   * Where `id` (an item the struct refers to) is: its own root when it is
   * the struct's neighbour; when it is the struct's parent, the parent
   * item's root (a type nested in a root belongs to that root).
   */
  private ofReference(id: Y.ID, what: string, depth: number): RootOf {
    const inUpdate = structAt(this.own.get(id.client), id.clock);
    if (inUpdate instanceof Y.Item) return this.ofUpdateItem(inUpdate, depth + 1);
    if (inUpdate instanceof Y.GC) return { kind: 'garbage' };
    const inDocument = structAt(this.target?.store.clients.get(id.client) as Struct[] | undefined, id.clock);
    if (inDocument instanceof Y.Item) {
      const name = this.ofIntegratedItem(inDocument);
      return name === null ? { kind: 'garbage' } : { kind: 'root', name };
    }
    // Yjs turns an item next to (or inside) collected garbage into garbage itself.
    if (inDocument instanceof Y.GC) return { kind: 'garbage' };
    return { kind: 'unknown', why: `refers to item ${id.client}:${id.clock} (its ${what}), which neither the update nor the document holds` };
  }

  /** The root name an integrated item lives under; null if it cannot be told (a collected ancestor). */
  ofIntegratedItem(item: Y.Item): string | null {
    let type = item.parent as Y.AbstractType<unknown> | null;
    const path: Y.AbstractType<unknown>[] = [];
    let found: string | null | undefined;
    for (let depth = 0; type && depth <= MAX_CHAIN_DEPTH; depth++) {
      const cached = this.integrated.get(type);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      path.push(type);
      if (type._item === null) {
        found = rootName(type);
        break;
      }
      type = type._item.parent as Y.AbstractType<unknown> | null;
    }
    const result = found ?? null;
    for (const visited of path) this.integrated.set(visited, result);
    return result;
  }
}

function rootName(type: Y.AbstractType<unknown>): string | null {
  const doc = type.doc;
  if (!doc) return null;
  for (const [key, value] of doc.share) if (value === type) return key;
  return null;
}

/** Binary search in a clock-sorted, gap-free list of one client's structs (an update's Skips fill its gaps). */
function structAt(structs: Struct[] | undefined, clock: number): Struct | undefined {
  if (!structs || structs.length === 0) return undefined;
  const first = structs[0]!;
  const last = structs[structs.length - 1]!;
  if (clock < first.id.clock || clock >= last.id.clock + last.length) return undefined;
  return structs[Y.findIndexSS(structs as Array<Y.Item | Y.GC>, clock)];
}

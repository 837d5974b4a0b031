import * as Y from 'yjs';
import { findProtectedRootWrite } from './protected-roots.js';

/**
 * Clocks count a client's operations (characters, list entries, formatting
 * marks) within one session. No honest client gets anywhere near 2^31 of
 * them; clocks near 2^53 lose precision in Yjs' arithmetic.
 */
export const MAX_CLOCK = 2 ** 31;

/**
 * How far past what the target document holds of a client an update may
 * start (or delete). Honest updates start at or below the document's clock
 * for their client; a gap means an earlier update has not arrived yet, and
 * Yjs keeps the newer one pending until it does. Gaps are as wide as what a
 * client sent out of order, never millions of operations.
 */
export const MAX_CLOCK_LEAD = 2 ** 24;

/** Root type names are short identifiers chosen by code ("default", "comments"). */
const MAX_ROOT_NAME_LENGTH = 256;

/** Per client: the clock ranges `[from, to)` an update carries (gaps of a merged update excluded). */
export type ClockRanges = Map<number, Array<[number, number]>>;

/**
 * `missing`: the update is not wrong, it comes before something it builds on
 * (an item it refers to or deletes, an earlier clock of its client) — with
 * `holdUntilResolvable`, a caller holds it and validates it again later,
 * instead of letting Yjs keep it pending unchecked.
 */
export type UpdateVerdict = { ok: true; ranges: ClockRanges } | { ok: false; problem: string; missing?: true };

type Struct = Y.Item | Y.GC | Y.Skip;
/** Yjs' DeleteSet as decodeUpdate returns it (the class is not exported by name). */
interface DeleteSet {
  clients: Map<number, Array<{ clock: number; len: number }>>;
}

/**
 * Checks a Yjs (v1) update's structure before it is applied or stored. Yjs
 * itself applies what decodes, and some updates that decode corrupt the
 * document for good: a zero-length item makes two structs share a clock (the
 * client's later updates never integrate), a clock near 2^53 rounds, a
 * reference to a non-type parent throws half-way through a transaction.
 *
 * With `target`, the update is also checked against what that document holds
 * (how far ahead of it the update starts; what its parent references point
 * at). Without it (a stored row on its own), only the context-free rules run.
 *
 * Returns the clock ranges the update carries, per client.
 */
export interface ValidationOptions {
  /**
   * The update comes from one client over its socket: it can only delete
   * what it has seen, i.e. what the target holds or the update itself
   * carries. A deletion past that would stay pending in Yjs and silently
   * delete the next edits of that client when they arrive — after they were
   * acknowledged. Stored rows are checked without it: the log may hold a
   * deletion before the row that brings its item (two nodes commit in either
   * order), and that is fine there.
   */
  deletesMustBeKnown?: boolean;
  /** Root types only the server writes (e.g. `comments`): a struct under one, or a deletion of an item there, fails (protected-roots.ts). */
  protectedRoots?: ReadonlySet<string>;
  /**
   * Report an update that depends on something the target does not hold
   * (yet) as `missing` instead of accepting it for Yjs to keep pending: a
   * pending struct is integrated later without any of these checks, and a
   * pending deletion eats what arrives. Honest clients send such updates in
   * reconnect races (an edit before their sync step); the caller holds them
   * until they resolve or expire.
   */
  holdUntilResolvable?: boolean;
}

/** Items between an item's origin and its right origin we are willing to walk to check their order. */
const MAX_ORIGIN_WALK = 10_000;

export function validateUpdate(update: Uint8Array, target?: Y.Doc, options: ValidationOptions = {}): UpdateVerdict {
  let decoded: { structs: Struct[]; ds: DeleteSet };
  try {
    decoded = Y.decodeUpdate(update) as unknown as { structs: Struct[]; ds: DeleteSet };
  } catch (error) {
    return { ok: false, problem: `does not decode: ${(error as Error).message}` };
  }
  const { structs, ds } = decoded;
  const ranges: ClockRanges = new Map();
  /** The update's own structs by client, to resolve references inside it. */
  const own = new Map<number, Struct[]>();
  let previousClient: number | undefined;

  for (const struct of structs) {
    const { client, clock } = struct.id;
    const { length } = struct;
    if (!Number.isSafeInteger(client) || client < 0) return fail(`client id ${client} is not a non-negative integer`);
    if (!Number.isSafeInteger(length) || length < 1) return fail(`struct ${client}:${clock} has length ${length}`);
    if (clock + length > MAX_CLOCK) return fail(`struct ${client}:${clock} ends past clock 2^31`);
    let list = own.get(client);
    if (client !== previousClient) {
      // Structs of one client come in one contiguous block; a second block
      // for the same client would overwrite the first in Yjs' reader.
      if (list) return fail(`client ${client} appears in two blocks`);
      own.set(client, (list = []));
      previousClient = client;
      const known = target ? Y.getState(target.store, client) : 0;
      if (target && clock > known + MAX_CLOCK_LEAD) {
        return fail(`client ${client} starts at clock ${clock}, ${clock - known} past the document's ${known}`);
      }
      if (target && options.holdUntilResolvable && clock > known) return missing(`client ${client} starts at clock ${clock}; the document holds up to ${known}`);
    }
    const previous = list!.at(-1);
    if (previous && previous.id.clock + previous.length !== clock) return fail(`client ${client}'s structs overlap at clock ${clock}`);
    list!.push(struct);
    if (struct instanceof Y.Skip) continue;
    addRange(ranges, client, clock, clock + length);
    if (!(struct instanceof Y.Item)) continue;

    if (struct.content instanceof Y.ContentDoc) return fail(`struct ${client}:${clock} embeds a subdocument (not supported)`);
    for (const [what, ref] of [
      ['origin', struct.origin],
      ['right origin', struct.rightOrigin],
      ['parent', struct.parent instanceof Y.ID ? struct.parent : null],
    ] as const) {
      // A client can only refer to what existed before it wrote: never to its own later structs.
      if (ref && ref.client === client && ref.clock >= clock) return fail(`struct ${client}:${clock} refers to its own future (${what} ${ref.client}:${ref.clock})`);
      if (ref && target && options.holdUntilResolvable && !findStruct(own, target, ref)) {
        return missing(`struct ${client}:${clock} refers to ${ref.client}:${ref.clock} (${what}), which the document does not hold yet`);
      }
    }
    // Decoded, not integrated: the parent is a root type's name or an item id.
    const parentRef = struct.parent as unknown as string | Y.ID | null;
    if (typeof parentRef === 'string') {
      if (parentRef.length > MAX_ROOT_NAME_LENGTH) return fail(`struct ${client}:${clock} names a root type of ${parentRef.length} characters`);
    } else if (parentRef instanceof Y.ID) {
      const parent = findStruct(own, target, parentRef);
      // Missing: an out-of-order update; Yjs keeps it pending until the parent arrives.
      if (parent instanceof Y.Item && !(parent.content instanceof Y.ContentType)) {
        return fail(`struct ${client}:${clock} has parent ${parentRef.client}:${parentRef.clock}, which is not a type`);
      }
    }
    if (target) {
      const split = splitsSurrogatePair(target, struct.origin, 'after') ?? splitsSurrogatePair(target, struct.rightOrigin, 'before');
      if (split) return fail(`struct ${client}:${clock} is inserted ${split}`);
    }
    if (target && (struct.origin || struct.rightOrigin)) {
      // Yjs skips the clocks the document already holds and integrates the
      // rest with the held clock before it as origin: check what it integrates.
      const held = Y.getState(target.store, client);
      if (held < clock + length) {
        const origin = held > clock ? Y.createID(client, held - 1) : struct.origin;
        const problem = originsNotNeighbours(target, Y.createID(client, Math.max(clock, held)), origin, struct.rightOrigin);
        if (problem) return fail(`struct ${client}:${clock}: ${problem}`);
      }
    }
  }

  for (const [client, deletions] of ds.clients) {
    if (!Number.isSafeInteger(client) || client < 0) return fail(`delete set names client ${client}`);
    const known = Math.max(target ? Y.getState(target.store, client) : 0, endOf(ranges, client));
    const lead = options.deletesMustBeKnown ? 0 : MAX_CLOCK_LEAD;
    for (const { clock, len } of deletions) {
      if (!Number.isSafeInteger(len) || len < 1) return fail(`deletion ${client}:${clock} has length ${len}`);
      if (target) {
        const split = splitsSurrogatePair(target, Y.createID(client, clock), 'before') ?? splitsSurrogatePair(target, Y.createID(client, clock + len - 1), 'after');
        if (split) return fail(`deletion ${client}:${clock}+${len} ends ${split}`);
      }
      if (clock + len > MAX_CLOCK) return fail(`deletion ${client}:${clock} ends past clock 2^31`);
      if (target && clock + len > known + lead) {
        const problem = `deletion ${client}:${clock}+${len} reaches past the document's clock ${known} for that client`;
        return options.holdUntilResolvable && clock + len <= known + MAX_CLOCK_LEAD ? missing(problem) : fail(problem);
      }
    }
  }
  if (options.protectedRoots) {
    const write = findProtectedRootWrite(structs, ds, target, options.protectedRoots);
    if (write) return write.unresolved && options.holdUntilResolvable ? missing(write.problem) : fail(write.problem);
  }
  return { ok: true, ranges };
}

/**
 * An item is inserted between its origin (left) and right origin, which were
 * neighbours in one list when its author wrote it: Yjs sets them to the two
 * items around the cursor (deleted ones included), undo/redo too. Later
 * inserts may land between them, but only ones the author had not seen.
 * An item whose origins enclose something its author provably had (anything
 * of the origins' own clients up to them, of its own client before it, or the
 * origins' own origins) never came from Yjs, and Yjs' conflict resolution
 * places it differently depending on what arrives first: a replica that
 * integrates it live and one that loads the same updates from scratch (or
 * in another order) put the next concurrent inserts in different places and
 * never converge again. Same list: same parent, right origin to the right of
 * origin. A missing origin means "list start" (left) or "list end" (right).
 *
 * Checked when the origins are integrated in the document (items never move,
 * so the order seen now is the order every replica sees); pending or
 * collected ones are left to Yjs.
 */
function originsNotNeighbours(doc: Y.Doc, id: Y.ID, origin: Y.ID | null, rightOrigin: Y.ID | null): string | null {
  if (origin && rightOrigin && origin.client === rightOrigin.client && origin.clock === rightOrigin.clock) return 'origin and right origin are the same item';
  const left = origin ? structAt(doc.store.clients.get(origin.client) as Struct[] | undefined, origin.clock) : null;
  const right = rightOrigin ? structAt(doc.store.clients.get(rightOrigin.client) as Struct[] | undefined, rightOrigin.clock) : null;
  if ((origin && !(left instanceof Y.Item)) || (rightOrigin && !(right instanceof Y.Item))) return null; // pending, or collected: Yjs decides
  const l = left as Y.Item | null;
  const r = right as Y.Item | null;
  if (l && r && (l.parent !== r.parent || l.parentSub !== r.parentSub)) return 'origin and right origin are in different parents';
  // In a deleted type everything is deleted (and collected): nothing there is ever shown.
  const parentItem = ((l ?? r)!.parent as Y.AbstractType<unknown> | null)?._item;
  if (parentItem?.deleted) return null;

  // What the author provably had (per client, clocks below the bound): Yjs
  // integrates an item only after its origins and every earlier clock of its client.
  const known = new Map<number, number>([[id.client, id.clock]]);
  const know = (id: Y.ID | null) => {
    if (id && (known.get(id.client) ?? 0) <= id.clock) known.set(id.client, id.clock + 1);
  };
  know(origin);
  know(rightOrigin);
  for (const ref of [l, r]) {
    know(ref?.origin ?? null);
    know(ref?.rightOrigin ?? null);
  }
  /** The first clock in [from, to] of `client` the author had, if any. */
  const knownIn = (client: number, from: number, to: number): number | null => (from <= to && from < (known.get(client) ?? 0) ? from : null);
  const enclosed = (client: number, clock: number) => `${client}:${clock} lies between origin and right origin, and the author had it when it wrote this item`;

  if (l && r && l === r) {
    if (origin!.clock >= rightOrigin!.clock) return 'right origin is not to the right of origin';
    const hit = knownIn(l.id.client, origin!.clock + 1, rightOrigin!.clock - 1);
    return hit === null ? null : enclosed(l.id.client, hit);
  }
  // The rest of the origin's struct, the start of the right origin's.
  if (l) {
    const hit = knownIn(l.id.client, origin!.clock + 1, l.id.clock + l.length - 1);
    if (hit !== null) return enclosed(l.id.client, hit);
  }
  if (r) {
    const hit = knownIn(r.id.client, r.id.clock, rightOrigin!.clock - 1);
    if (hit !== null) return enclosed(r.id.client, hit);
  }
  // Whole structs in between: walk from the origin to the right origin (or
  // the list's end), or from the right origin back to the list's start.
  let cursor: Y.Item | null = l ? l.right : r!.left;
  for (let steps = 0; cursor && cursor !== r; steps++) {
    if (steps >= MAX_ORIGIN_WALK) return l && r ? `more than ${MAX_ORIGIN_WALK} items between origin and right origin` : null;
    const hit = knownIn(cursor.id.client, cursor.id.clock, cursor.id.clock + cursor.length - 1);
    if (hit !== null) return enclosed(cursor.id.client, hit);
    cursor = l ? cursor.right : cursor.left;
  }
  if (l && r && cursor !== r) return 'right origin is not to the right of origin';
  return null;
}

/**
 * True-ish (a description) when a cut right after (`'after'`) or right
 * before (`'before'`) the character `id` falls between the two UTF-16 halves
 * of one character (an emoji). Yjs replaces a pair it splits with U+FFFD —
 * on the replicas that split it locally, not on those that receive the
 * halves already split — so such an edit leaves replicas different for
 * good. No editor puts a cursor there; a forged update can.
 */
function splitsSurrogatePair(doc: Y.Doc, id: Y.ID | null, side: 'after' | 'before'): string | null {
  if (!id) return null;
  const item = structAt(doc.store.clients.get(id.client) as Struct[] | undefined, id.clock);
  if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentString)) return null;
  const text = item.content.str;
  const at = id.clock - item.id.clock;
  const [left, right] = side === 'after' ? [at, at + 1] : [at - 1, at];
  if (left < 0 || right >= text.length) return null;
  const high = text.charCodeAt(left);
  const low = text.charCodeAt(right);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? 'between the two halves of one character' : null;
}

function fail(problem: string): UpdateVerdict {
  return { ok: false, problem };
}

function missing(problem: string): UpdateVerdict {
  return { ok: false, problem, missing: true };
}

function addRange(ranges: ClockRanges, client: number, from: number, to: number): void {
  const list = ranges.get(client);
  if (!list) {
    ranges.set(client, [[from, to]]);
    return;
  }
  const last = list[list.length - 1]!;
  if (last[1] === from) last[1] = to;
  else list.push([from, to]);
}

function endOf(ranges: ClockRanges, client: number): number {
  const list = ranges.get(client);
  return list ? list[list.length - 1]![1] : 0;
}

function findStruct(own: Map<number, Struct[]>, target: Y.Doc | undefined, id: Y.ID): Struct | undefined {
  return structAt(own.get(id.client), id.clock) ?? structAt(target?.store.clients.get(id.client) as Struct[] | undefined, id.clock);
}

/** Binary search in a clock-sorted, gap-free list of one client's structs. */
function structAt(structs: Struct[] | undefined, clock: number): Struct | undefined {
  if (!structs || structs.length === 0) return undefined;
  const first = structs[0]!;
  const last = structs[structs.length - 1]!;
  if (clock < first.id.clock || clock >= last.id.clock + last.length) return undefined;
  return structs[Y.findIndexSS(structs as Array<Y.Item | Y.GC>, clock)];
}

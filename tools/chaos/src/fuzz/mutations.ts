/**
 * Hostile Yjs updates built on purpose from an honest document: each
 * mutation is a named structural defect (zero-length items, clocks at 2^53,
 * dangling parents, delete ranges past the end, …) applied to a valid
 * insertion anchored in the honest writer's content, or to an update the
 * writer really sent, plus truncations and byte flips of those. Every attack
 * says whether the node MUST refuse it (`mustReject`: the structural
 * rules) or may accept it (odd but valid, or held as pending the way Yjs
 * holds honest out-of-order updates).
 */
import * as Y from 'yjs';
import { between, pick, weighted, type Random } from '../harness/random.js';
import {
  ContentRef,
  TypeRef,
  decodeUpdate,
  encodeUpdate,
  fromHex,
  structLength,
  type Content,
  type DecodedUpdate,
  type ID,
  type Item,
  type Num,
  type Struct,
} from './update-codec.js';

/** The 15-byte update of issue 10: a zero-length string item after a one-char item of client 7. */
export const KILLER_UPDATE_HEX = '010207000401017801618407000000';

export const MAX_SAFE = 2 ** 53 - 1;
const TWO_53 = 2n ** 53n;

/** What the attacker knows of the honest document (everything: it is an editor too). */
export interface AttackMaterial {
  /** The honest writer's client id. */
  writer: number;
  /** Next clock of the writer (Y.getState). */
  writerState: number;
  /** Ids of single characters of the writer's visible text. */
  charIds: ID[];
  /** Ids of the XmlText items (paragraph bodies). */
  textIds: ID[];
  /** Ids of the paragraph XmlElement items. */
  elementIds: ID[];
  /** Updates the writer really sent (v1), most recent last. */
  captured: Uint8Array[];
  /**
   * A client that wrote once before the attack and never again, with the
   * clock it stopped at: every node provably holds exactly `[0, state)` of
   * it, so a deletion past `state` is past what the node holds, for sure.
   * (The writer's own end is a moving target: by the time an attack built
   * from a replica arrives, the node may hold more of the writer.)
   */
  quiet?: { client: number; state: number };
}

export interface Attack {
  mutation: string;
  bytes: Uint8Array;
  mustReject: boolean;
}

/**
 * Collects attack material from a replica of the honest document. Only the
 * writer's items below `heldClock` are offered as references: the nodes
 * provably hold those (acknowledged a while ago), so an attack that is only
 * invalid relative to them (a char as a parent, origins in two parents) is
 * invalid at the node too, not merely pending there.
 */
export function collectMaterial(doc: Y.Doc, writer: number, captured: Uint8Array[], heldClock = Infinity, quiet?: AttackMaterial['quiet']): AttackMaterial {
  const charIds: ID[] = [];
  const textIds: ID[] = [];
  const elementIds: ID[] = [];
  const structs = doc.store.clients.get(writer) ?? [];
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || struct.deleted || struct.id.clock >= heldClock) continue;
    const content = struct.content;
    if (content instanceof Y.ContentString) {
      for (let i = 0; i < content.str.length && struct.id.clock + i < heldClock; i++) charIds.push({ client: writer, clock: struct.id.clock + i });
    } else if (content instanceof Y.ContentType) {
      if (content.type instanceof Y.XmlText) textIds.push({ ...struct.id });
      else if (content.type instanceof Y.XmlElement) elementIds.push({ ...struct.id });
    }
  }
  return { writer, writerState: Y.getState(doc.store, writer), charIds, textIds, elementIds, captured, ...(quiet ? { quiet } : {}) };
}

/** A client id the document has never seen (Yjs' range: uint32 minus 0). */
function freshClient(random: Random, material: AttackMaterial): number {
  for (;;) {
    const client = between(random, 1, 2 ** 32 - 1);
    if (client !== material.writer) return client;
  }
}

const str = (s: string): Content => ({ ref: ContentRef.String, str: s });

function item(fields: Partial<Item> & { content: Content }): Item {
  return { kind: 'item', origin: null, rightOrigin: null, parent: null, parentSub: null, ...fields };
}

/** A valid insertion by a new client: text right after one of the writer's characters. */
function baseInsertion(random: Random, material: AttackMaterial, content: Content = str('zz')): DecodedUpdate {
  const client = freshClient(random, material);
  if (material.charIds.length > 0) {
    return { clients: [{ client, clock: 0, structs: [item({ origin: pick(random, material.charIds), content })] }], deletes: [] };
  }
  // No text yet: at the start of the first paragraph body, or of the root fragment.
  const parent = material.textIds.length > 0 ? { id: pick(random, material.textIds) } : { key: 'default' };
  return { clients: [{ client, clock: 0, structs: [item({ parent, content })] }], deletes: [] };
}

function withBlock(update: DecodedUpdate, patch: { client?: Num; clock?: Num }): DecodedUpdate {
  const [first, ...rest] = update.clients;
  return { ...update, clients: [{ ...first!, ...patch }, ...rest] };
}

function withItem(update: DecodedUpdate, patch: Partial<Item>): DecodedUpdate {
  const [first, ...rest] = update.clients;
  const [head, ...tail] = first!.structs;
  return { ...update, clients: [{ ...first!, structs: [{ ...(head as Item), ...patch }, ...tail] }, ...rest] };
}

/**
 * A captured update of the writer, moved to `client` from clock 0: ids that
 * pointed into the moved range point to the new ids, so it is a valid update
 * that re-inserts the same content as someone else.
 */
export function retarget(update: DecodedUpdate, client: number): DecodedUpdate {
  const moved: Array<{ from: number; to: number; len: number; oldClient: Num }> = [];
  let next = 0;
  for (const block of update.clients) {
    const len = block.structs.reduce((sum, s) => sum + structLength(s), 0);
    moved.push({ from: Number(block.clock), to: next, len, oldClient: block.client });
    next += len;
  }
  const map = (id: ID | null): ID | null => {
    if (id === null) return null;
    for (const m of moved) {
      if (BigInt(id.client) === BigInt(m.oldClient) && Number(id.clock) >= m.from && Number(id.clock) < m.from + m.len) {
        return { client, clock: m.to + (Number(id.clock) - m.from) };
      }
    }
    return id;
  };
  const structs: Struct[] = [];
  for (const block of update.clients) {
    for (const s of block.structs) {
      if (s.kind !== 'item') {
        structs.push(s);
        continue;
      }
      const parent = s.parent && 'id' in s.parent ? { id: map(s.parent.id)! } : s.parent;
      structs.push({ ...s, origin: map(s.origin), rightOrigin: map(s.rightOrigin), parent });
    }
  }
  return { clients: structs.length ? [{ client, clock: 0, structs }] : [], deletes: [] };
}

function capturedDecoded(random: Random, material: AttackMaterial): DecodedUpdate | null {
  if (material.captured.length === 0) return null;
  // Prefer recent ones: they carry the ids the document uses now.
  const index = material.captured.length - 1 - Math.min(material.captured.length - 1, Math.floor(random() ** 3 * 50));
  const decoded = decodeUpdate(material.captured[index]!);
  return decoded.clients.length > 0 ? decoded : null;
}

/** A valid update to start byte-level mutations from. */
function someValidUpdate(random: Random, material: AttackMaterial): DecodedUpdate {
  const captured = random() < 0.5 ? capturedDecoded(random, material) : null;
  return captured ? retarget(captured, freshClient(random, material)) : baseInsertion(random, material);
}

type Builder = (random: Random, material: AttackMaterial) => { update: DecodedUpdate | Uint8Array; mustReject: boolean };

/** Every mutation by name, with its weight in the mix. */
export const MUTATIONS: Record<string, { weight: number; build: Builder }> = {
  'killer-15-bytes': { weight: 2, build: () => ({ update: fromHex(KILLER_UPDATE_HEX), mustReject: true }) },
  'string-empty': { weight: 4, build: (r, m) => ({ update: baseInsertion(r, m, str('')), mustReject: true }) },
  'string-empty-after-char': {
    weight: 3,
    // The killer's shape, anchored in the writer's text: one char, then an empty item after it.
    build: (r, m) => {
      const base = baseInsertion(r, m, str('q'));
      const block = base.clients[0]!;
      const second = item({ origin: { client: block.client, clock: 0 }, content: str('') });
      return { update: { ...base, clients: [{ ...block, structs: [...block.structs, second] }] }, mustReject: true };
    },
  },
  'deleted-len-0': { weight: 4, build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.Deleted, len: 0 }), mustReject: true }) },
  'any-empty': { weight: 2, build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.Any, values: [] }), mustReject: true }) },
  'json-empty': { weight: 2, build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.JSON, values: [] }), mustReject: true }) },
  'gc-len-0': {
    weight: 2,
    build: (r, m) => {
      const base = baseInsertion(r, m);
      const block = base.clients[0]!;
      return { update: { ...base, clients: [{ ...block, structs: [{ kind: 'gc', len: 0 }, ...block.structs] }] }, mustReject: true };
    },
  },
  'skip-len-0': {
    weight: 2,
    build: (r, m) => {
      const base = baseInsertion(r, m);
      const block = base.clients[0]!;
      return { update: { ...base, clients: [{ ...block, structs: [{ kind: 'skip', len: 0 }, ...block.structs] }] }, mustReject: true };
    },
  },
  'deleted-len-2^53-1': {
    weight: 2,
    build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.Deleted, len: MAX_SAFE }), mustReject: true }),
  },
  'deleted-len-2^32': { weight: 2, build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.Deleted, len: 2 ** 32 }), mustReject: false }) },
  'gc-len-2^53': { weight: 2, build: (r, m) => ({ update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [{ kind: 'gc', len: TWO_53 }] }], deletes: [] }, mustReject: true }) },
  'clock-2^53-2-crossing': { weight: 3, build: (r, m) => ({ update: withBlock(baseInsertion(r, m, str('zzz')), { clock: MAX_SAFE - 1 }), mustReject: true }) },
  'clock-2^53-1': { weight: 2, build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { clock: MAX_SAFE }), mustReject: true }) },
  'clock-past-2^53': { weight: 2, build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { clock: TWO_53 + BigInt(between(r, 0, 1000)) }), mustReject: true }) },
  'clock-far-ahead-new-client': { weight: 3, build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { clock: between(r, 1_000_000, 2 ** 31) }), mustReject: false }) },
  'clock-far-ahead-writer': {
    weight: 2,
    // Far enough that the writer never gets there in a run (so no collision with its own edits).
    build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { client: m.writer, clock: m.writerState + between(r, 1_000_000, 2 ** 30) }), mustReject: false }),
  },
  'client-0': { weight: 2, build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { client: 0 }), mustReject: false }) },
  'client-2^32': { weight: 2, build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { client: 2 ** 32 }), mustReject: false }) },
  'client-2^53-1': { weight: 2, build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { client: MAX_SAFE }), mustReject: false }) },
  'client-past-2^53': { weight: 1, build: (r, m) => ({ update: withBlock(baseInsertion(r, m), { client: TWO_53 + 7n }), mustReject: true }) },
  'captured-as-new-client': {
    weight: 4,
    // The control: a valid update (the writer's own, re-authored). Expected to be accepted.
    build: (r, m) => {
      const captured = capturedDecoded(r, m);
      return { update: captured ? retarget(captured, freshClient(r, m)) : baseInsertion(r, m), mustReject: false };
    },
  },
  'captured-as-client-0': {
    weight: 2,
    build: (r, m) => {
      const captured = capturedDecoded(r, m);
      return { update: captured ? retarget(captured, 0) : withBlock(baseInsertion(r, m), { client: 0 }), mustReject: false };
    },
  },
  'ds-len-0': {
    weight: 4,
    build: (r, m) => ({ update: { clients: [], deletes: [{ client: m.writer, ranges: [{ clock: between(r, 0, Math.max(0, m.writerState - 1)), len: 0 }] }] }, mustReject: true }),
  },
  'ds-len-0-with-insert': {
    weight: 2,
    build: (r, m) => {
      const base = baseInsertion(r, m);
      return { update: { ...base, deletes: [{ client: base.clients[0]!.client, ranges: [{ clock: 0, len: 0 }] }] }, mustReject: true };
    },
  },
  'ds-huge-writer': { weight: 3, build: (r, m) => ({ update: { clients: [], deletes: [{ client: m.writer, ranges: [{ clock: 0, len: MAX_SAFE }] }] }, mustReject: true }) },
  'ds-past-end-writer': {
    // Yjs keeps the part past the known clock as a pending delete: the writer's NEXT edits would vanish on arrival.
    // Far past the writer's end (it never types that much in a run): near its end, the node may
    // already hold those clocks when the frame arrives, and then the deletion is a valid edit.
    weight: 2,
    build: (r, m) => ({ update: { clients: [], deletes: [{ client: m.writer, ranges: [{ clock: m.writerState + 1_000_000 + between(r, 0, 5), len: between(r, 1, 50) }] }] }, mustReject: true }),
  },
  'ds-past-end-quiet': {
    // Just past (or straddling) the end of a client that stopped writing: provably past what the node holds.
    weight: 3,
    build: (r, m) => {
      const quiet = m.quiet ?? { client: m.writer, state: m.writerState + 1_000_000 };
      const clock = Math.max(0, quiet.state - between(r, 0, 3) + between(r, 0, 5));
      const len = Math.max(quiet.state - clock + 1, between(r, 1, 50));
      return { update: { clients: [], deletes: [{ client: quiet.client, ranges: [{ clock, len }] }] }, mustReject: true };
    },
  },
  'ds-writer-held': {
    // The control for deletions: an editor deleting a few of the writer's characters the node holds.
    // A valid edit: those tokens are deleted, not lost.
    weight: 1,
    build: (r, m) => {
      const at = m.charIds.length ? pick(r, m.charIds.slice(0, Math.max(1, Math.floor(m.charIds.length / 2)))) : null;
      if (!at) return { update: { clients: [], deletes: [] }, mustReject: false };
      // Only characters (a deleted paragraph would take its whole text with it).
      const chars = new Set(m.charIds.map((id) => Number(id.clock)));
      let len = 1;
      for (const want = between(r, 1, 3); len < want && chars.has(Number(at.clock) + len); ) len += 1;
      return { update: { clients: [], deletes: [{ client: m.writer, ranges: [{ clock: at.clock, len }] }] }, mustReject: false };
    },
  },
  'ds-unknown-client': { weight: 2, build: (r, m) => ({ update: { clients: [], deletes: [{ client: freshClient(r, m), ranges: [{ clock: 0, len: between(r, 1, 100) }] }] }, mustReject: true }) },
  'ds-clock-2^53-1': { weight: 2, build: (r, m) => ({ update: { clients: [], deletes: [{ client: m.writer, ranges: [{ clock: MAX_SAFE, len: 10 }] }] }, mustReject: true }) },
  'ds-clock-past-2^53': { weight: 1, build: (r, m) => ({ update: { clients: [], deletes: [{ client: m.writer, ranges: [{ clock: TWO_53 + 3n, len: 1 }] }] }, mustReject: true }) },
  'parent-missing': {
    weight: 3,
    // An unknown parent is a missing dependency: Yjs holds it as pending.
    build: (r, m) => ({ update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [item({ parent: { id: { client: freshClient(r, m), clock: between(r, 0, 100) } }, content: str('zz') })] }], deletes: [] }, mustReject: false }),
  },
  'parent-is-a-char': {
    weight: 4,
    build: (r, m) => {
      const parent = m.charIds.length ? pick(r, m.charIds) : { client: m.writer, clock: Math.max(0, m.writerState - 1) };
      return { update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [item({ parent: { id: parent }, content: str('zz') })] }], deletes: [] }, mustReject: true };
    },
  },
  'parent-is-a-char-with-sub': {
    weight: 2,
    build: (r, m) => {
      const parent = m.charIds.length ? pick(r, m.charIds) : { client: m.writer, clock: 0 };
      return { update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [item({ parent: { id: parent }, parentSub: 'k', content: str('zz') })] }], deletes: [] }, mustReject: true };
    },
  },
  'parent-writer-future': {
    weight: 2,
    build: (r, m) => ({ update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [item({ parent: { id: { client: m.writer, clock: m.writerState + between(r, 1_000_000, 2 ** 30) } }, content: str('zz') })] }], deletes: [] }, mustReject: false }),
  },
  'origins-in-two-parents': {
    weight: 4,
    build: (r, m) => {
      const left = m.charIds.length ? pick(r, m.charIds) : null;
      // Right origin in another parent: a paragraph element (child of the root fragment), or a char elsewhere.
      const right = m.elementIds.length && r() < 0.5 ? pick(r, m.elementIds) : m.charIds.length ? pick(r, m.charIds) : null;
      if (!left || !right) return { update: fromHex(KILLER_UPDATE_HEX), mustReject: true };
      return { update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [item({ origin: left, rightOrigin: right, content: str('zz') })] }], deletes: [] }, mustReject: true };
    },
  },
  'origin-is-a-type-right-is-its-child': {
    weight: 2,
    build: (r, m) => {
      const left = m.elementIds.length ? pick(r, m.elementIds) : null;
      const right = m.charIds.length ? pick(r, m.charIds) : null;
      if (!left || !right) return { update: fromHex(KILLER_UPDATE_HEX), mustReject: true };
      return { update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [item({ origin: right, rightOrigin: left, content: str('zz') })] }], deletes: [] }, mustReject: true };
    },
  },
  'origin-missing': {
    weight: 2,
    build: (r, m) => ({ update: withItem(baseInsertion(r, m), { origin: { client: freshClient(r, m), clock: between(r, 0, 100) } }), mustReject: false }),
  },
  'origin-self': {
    weight: 2,
    build: (r, m) => {
      const base = baseInsertion(r, m);
      return { update: withItem(base, { origin: { client: base.clients[0]!.client, clock: 0 } }), mustReject: false };
    },
  },
  'no-origin-no-parent': {
    weight: 2,
    // Both origins null and no parent info written: the reader runs into the content bytes.
    build: (r, m) => ({ update: withItem(baseInsertion(r, m), { origin: null, rightOrigin: null, parent: null }), mustReject: false }),
  },
  'info-flags-lie': {
    weight: 2,
    build: (r, m) => ({ update: withItem(baseInsertion(r, m), { info: (ContentRef.String | pick(r, [0x80, 0x40, 0x20, 0xc0, 0x60])) ^ (r() < 0.5 ? 0x80 : 0) }), mustReject: false }),
  },
  'type-ref-unknown': { weight: 2, build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.Type, typeRef: between(r, 7, 200) }), mustReject: true }) },
  'content-ref-unknown': {
    weight: 2,
    build: (r, m) => ({ update: withItem(baseInsertion(r, m), { info: 0x80 | pick(r, [11, 12, 15, 20, 31]) }), mustReject: true }),
  },
  'format-bad-json': { weight: 2, build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.Format, key: 'bold', value: '{' }), mustReject: true }) },
  'xml-element-into-text': {
    weight: 2,
    build: (r, m) => ({ update: baseInsertion(r, m, { ref: ContentRef.Type, typeRef: TypeRef.XmlElement, name: 'paragraph' }), mustReject: false }),
  },
  'text-into-root-fragment': {
    weight: 2,
    build: (r, m) => ({ update: { clients: [{ client: freshClient(r, m), clock: 0, structs: [item({ parent: { key: 'default' }, content: str('loose') })] }], deletes: [] }, mustReject: false }),
  },
  'duplicate-client-blocks': {
    weight: 2,
    build: (r, m) => {
      const base = baseInsertion(r, m);
      const block = base.clients[0]!;
      return { update: { ...base, clients: [block, { ...block, clock: 1 }] }, mustReject: false };
    },
  },
  'client-count-lie': {
    weight: 2,
    build: (r, m) => {
      const bytes = encodeUpdate(someValidUpdate(r, m));
      const out = new Uint8Array(bytes);
      out[0] = (out[0]! + between(r, 1, 5)) & 0x7f;
      return { update: out, mustReject: true };
    },
  },
  truncated: {
    weight: 6,
    build: (r, m) => {
      const bytes = encodeUpdate(someValidUpdate(r, m));
      return { update: bytes.slice(0, between(r, 1, Math.max(1, bytes.length - 1))), mustReject: false };
    },
  },
  'byte-flips': {
    weight: 8,
    build: (r, m) => {
      const out = new Uint8Array(encodeUpdate(someValidUpdate(r, m)));
      const flips = between(r, 1, 3);
      for (let i = 0; i < flips; i++) {
        const at = between(r, 0, out.length - 1);
        out[at] = r() < 0.5 ? out[at]! ^ (1 << between(r, 0, 7)) : between(r, 0, 255);
      }
      return { update: out, mustReject: false };
    },
  },
  'random-bytes': {
    weight: 2,
    build: (r) => ({ update: Uint8Array.from({ length: between(r, 1, 40) }, () => between(r, 0, 255)), mustReject: false }),
  },
};

/**
 * The quiet client of the material: one valid insertion by a new client,
 * sent once before the attack; it never writes again.
 */
/**
 * Opt-in only (CHAOS_FUZZ_IMPERSONATE=1): a VALID update under the writer's
 * own client id at its next clock. Yjs then drops the writer's real edit at
 * that clock as "already known": its text is silently replaced. No structural
 * validator can see this; only binding client ids to connections can.
 */
export const IMPERSONATION: Builder = (r, m) => ({ update: withBlock(baseInsertion(r, m, str('IMPOSTOR')), { client: m.writer, clock: m.writerState }), mustReject: false });

export function makeAttack(random: Random, material: AttackMaterial, options: { impersonate?: boolean } = {}): Attack {
  const names = Object.keys(MUTATIONS);
  const choices: Array<readonly [number, string]> = names.map((name) => [MUTATIONS[name]!.weight, name] as const);
  if (options.impersonate) choices.push([3, 'impersonate-writer']);
  const mutation = weighted(random, choices);
  const builder = mutation === 'impersonate-writer' ? IMPERSONATION : MUTATIONS[mutation]!.build;
  const { update, mustReject } = builder(random, material);
  return { mutation, bytes: update instanceof Uint8Array ? update : encodeUpdate(update), mustReject };
}

/** Whether Yjs' own decoder reads it (what the node's frame guard checks before the lead's validator). */
export function decodesInYjs(bytes: Uint8Array): boolean {
  try {
    Y.decodeUpdate(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Yjs v1 updates as data: a decoder into plain structs and an encoder back
 * to bytes (lib0 encoding, the layout of Yjs' UpdateEncoderV1), so the
 * hostile-update fuzzer can build structurally bad updates on purpose —
 * zero-length items, clocks past 2^53, dangling parents — instead of only
 * flipping random bytes. The encoder writes whatever it is given, valid or not;
 * clocks and lengths may be numbers past Number.MAX_SAFE_INTEGER or bigints.
 *
 * Layout: varuint #clients; per client: varuint #structs, varuint client,
 * varuint first clock, then each struct: uint8 info (low 5 bits content ref,
 * 0 = GC, 10 = Skip; BIT8 origin, BIT7 right origin, BIT6 parentSub), ids,
 * parent (only when there is no origin), content. Then the delete set:
 * varuint #clients; per client varuint client, varuint #ranges, (clock, len)*.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type Num = number | bigint;

export interface ID {
  client: Num;
  clock: Num;
}

export const ContentRef = {
  Deleted: 1,
  JSON: 2,
  Binary: 3,
  String: 4,
  Embed: 5,
  Format: 6,
  Type: 7,
  Any: 8,
  Doc: 9,
} as const;

/** Type refs of ContentType (Yjs' YArrayRefID …). */
export const TypeRef = { Array: 0, Map: 1, Text: 2, XmlElement: 3, XmlFragment: 4, XmlHook: 5, XmlText: 6 } as const;

export type Content =
  | { ref: 1; len: Num }
  /** JSON values as their JSON text ("undefined" for undefined), as Yjs writes them. */
  | { ref: 2; values: string[] }
  | { ref: 3; buf: Uint8Array }
  | { ref: 4; str: string }
  | { ref: 5; embed: string }
  | { ref: 6; key: string; value: string }
  /** nodeName only for XmlElement and XmlHook. */
  | { ref: 7; typeRef: Num; name?: string }
  | { ref: 8; values: unknown[] }
  | { ref: 9; guid: string; opts: unknown };

export type Parent = { key: string } | { id: ID };

export interface Item {
  kind: 'item';
  origin: ID | null;
  rightOrigin: ID | null;
  /** Written only when origin and rightOrigin are both null (as Yjs does). */
  parent: Parent | null;
  parentSub: string | null;
  /** The item sits under a map key that is not written (it has an origin); sets BIT6. */
  parentSubFlag?: boolean;
  content: Content;
  /** Forces the info byte (hostile: flags that disagree with the fields). */
  info?: number;
}

export type Struct = { kind: 'gc'; len: Num } | { kind: 'skip'; len: Num } | Item;

export interface ClientStructs {
  client: Num;
  clock: Num;
  structs: Struct[];
}

export interface DeleteRange {
  clock: Num;
  len: Num;
}

export interface ClientDeletes {
  client: Num;
  ranges: DeleteRange[];
}

export interface DecodedUpdate {
  clients: ClientStructs[];
  deletes: ClientDeletes[];
}

const BIT6 = 0x20;
const BIT7 = 0x40;
const BIT8 = 0x80;
const BITS5 = 0x1f;

/** Number of clock ticks a struct takes (Yjs' `length`). */
export function structLength(struct: Struct): number {
  if (struct.kind !== 'item') return Number(struct.len);
  const content = struct.content;
  switch (content.ref) {
    case 1:
      return Number(content.len);
    case 2:
    case 8:
      return content.values.length;
    case 4:
      return content.str.length;
    default:
      return 1;
  }
}

/** A varuint of any size (lib0's writeVarUint loses precision past 2^53). */
export function writeVarUint(encoder: encoding.Encoder, value: Num): void {
  let n = BigInt(value);
  if (n < 0n) throw new RangeError(`varuint of negative ${n}`);
  while (n > 0x7fn) {
    encoding.writeUint8(encoder, Number(0x80n | (n & 0x7fn)));
    n >>= 7n;
  }
  encoding.writeUint8(encoder, Number(n));
}

function writeId(encoder: encoding.Encoder, id: ID): void {
  writeVarUint(encoder, id.client);
  writeVarUint(encoder, id.clock);
}

function writeContent(encoder: encoding.Encoder, content: Content): void {
  switch (content.ref) {
    case 1:
      writeVarUint(encoder, content.len);
      return;
    case 2:
      writeVarUint(encoder, content.values.length);
      for (const value of content.values) encoding.writeVarString(encoder, value);
      return;
    case 3:
      encoding.writeVarUint8Array(encoder, content.buf);
      return;
    case 4:
      encoding.writeVarString(encoder, content.str);
      return;
    case 5:
      encoding.writeVarString(encoder, content.embed);
      return;
    case 6:
      encoding.writeVarString(encoder, content.key);
      encoding.writeVarString(encoder, content.value);
      return;
    case 7:
      writeVarUint(encoder, content.typeRef);
      if (content.name !== undefined) encoding.writeVarString(encoder, content.name);
      return;
    case 8:
      writeVarUint(encoder, content.values.length);
      for (const value of content.values) encoding.writeAny(encoder, value as never);
      return;
    case 9:
      encoding.writeVarString(encoder, content.guid);
      encoding.writeAny(encoder, content.opts as never);
      return;
  }
}

export function infoByte(item: Item): number {
  if (item.info !== undefined) return item.info;
  return (
    (item.content.ref & BITS5) |
    (item.origin === null ? 0 : BIT8) |
    (item.rightOrigin === null ? 0 : BIT7) |
    (item.parentSub === null && !item.parentSubFlag ? 0 : BIT6)
  );
}

function writeStruct(encoder: encoding.Encoder, struct: Struct): void {
  if (struct.kind === 'gc') {
    encoding.writeUint8(encoder, 0);
    writeVarUint(encoder, struct.len);
    return;
  }
  if (struct.kind === 'skip') {
    encoding.writeUint8(encoder, 10);
    writeVarUint(encoder, struct.len);
    return;
  }
  encoding.writeUint8(encoder, infoByte(struct));
  if (struct.origin !== null) writeId(encoder, struct.origin);
  if (struct.rightOrigin !== null) writeId(encoder, struct.rightOrigin);
  if (struct.origin === null && struct.rightOrigin === null) {
    if (struct.parent !== null) {
      if ('key' in struct.parent) {
        writeVarUint(encoder, 1);
        encoding.writeVarString(encoder, struct.parent.key);
      } else {
        writeVarUint(encoder, 0);
        writeId(encoder, struct.parent.id);
      }
    }
    if (struct.parentSub !== null) encoding.writeVarString(encoder, struct.parentSub);
  }
  writeContent(encoder, struct.content);
}

export function encodeUpdate(update: DecodedUpdate): Uint8Array {
  const encoder = encoding.createEncoder();
  writeVarUint(encoder, update.clients.length);
  for (const block of update.clients) {
    writeVarUint(encoder, block.structs.length);
    writeVarUint(encoder, block.client);
    writeVarUint(encoder, block.clock);
    for (const struct of block.structs) writeStruct(encoder, struct);
  }
  writeVarUint(encoder, update.deletes.length);
  for (const entry of update.deletes) {
    writeVarUint(encoder, entry.client);
    writeVarUint(encoder, entry.ranges.length);
    for (const range of entry.ranges) {
      writeVarUint(encoder, range.clock);
      writeVarUint(encoder, range.len);
    }
  }
  return encoding.toUint8Array(encoder);
}

function readId(decoder: decoding.Decoder): ID {
  return { client: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder) };
}

function readContent(decoder: decoding.Decoder, ref: number): Content {
  switch (ref) {
    case 1:
      return { ref: 1, len: decoding.readVarUint(decoder) };
    case 2: {
      const n = decoding.readVarUint(decoder);
      const values: string[] = [];
      for (let i = 0; i < n; i++) values.push(decoding.readVarString(decoder));
      return { ref: 2, values };
    }
    case 3:
      return { ref: 3, buf: decoding.readVarUint8Array(decoder) };
    case 4:
      return { ref: 4, str: decoding.readVarString(decoder) };
    case 5:
      return { ref: 5, embed: decoding.readVarString(decoder) };
    case 6:
      return { ref: 6, key: decoding.readVarString(decoder), value: decoding.readVarString(decoder) };
    case 7: {
      const typeRef = decoding.readVarUint(decoder);
      return typeRef === TypeRef.XmlElement || typeRef === TypeRef.XmlHook
        ? { ref: 7, typeRef, name: decoding.readVarString(decoder) }
        : { ref: 7, typeRef };
    }
    case 8: {
      const n = decoding.readVarUint(decoder);
      const values: unknown[] = [];
      for (let i = 0; i < n; i++) values.push(decoding.readAny(decoder));
      return { ref: 8, values };
    }
    case 9:
      return { ref: 9, guid: decoding.readVarString(decoder), opts: decoding.readAny(decoder) };
    default:
      throw new Error(`unknown content ref ${ref}`);
  }
}

/** Decodes a v1 update into structs (throws on anything that does not decode). */
export function decodeUpdate(bytes: Uint8Array): DecodedUpdate {
  const decoder = decoding.createDecoder(bytes);
  const clients: ClientStructs[] = [];
  const clientCount = decoding.readVarUint(decoder);
  for (let c = 0; c < clientCount; c++) {
    const count = decoding.readVarUint(decoder);
    const client = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const structs: Struct[] = [];
    for (let s = 0; s < count; s++) {
      const info = decoding.readUint8(decoder);
      const ref = info & BITS5;
      if (ref === 0) {
        structs.push({ kind: 'gc', len: decoding.readVarUint(decoder) });
        continue;
      }
      if (ref === 10) {
        structs.push({ kind: 'skip', len: decoding.readVarUint(decoder) });
        continue;
      }
      const origin = (info & BIT8) === BIT8 ? readId(decoder) : null;
      const rightOrigin = (info & BIT7) === BIT7 ? readId(decoder) : null;
      const needsParent = (info & (BIT7 | BIT8)) === 0;
      let parent: Parent | null = null;
      let parentSub: string | null = null;
      if (needsParent) {
        parent = decoding.readVarUint(decoder) === 1 ? { key: decoding.readVarString(decoder) } : { id: readId(decoder) };
        if ((info & BIT6) === BIT6) parentSub = decoding.readVarString(decoder);
      }
      const item: Item = { kind: 'item', origin, rightOrigin, parent, parentSub, content: readContent(decoder, ref) };
      if (!needsParent && (info & BIT6) === BIT6) item.parentSubFlag = true;
      structs.push(item);
    }
    clients.push({ client, clock, structs });
  }
  const deletes: ClientDeletes[] = [];
  const deleteCount = decoding.readVarUint(decoder);
  for (let d = 0; d < deleteCount; d++) {
    const client = decoding.readVarUint(decoder);
    const n = decoding.readVarUint(decoder);
    const ranges: DeleteRange[] = [];
    for (let r = 0; r < n; r++) ranges.push({ clock: decoding.readVarUint(decoder), len: decoding.readVarUint(decoder) });
    deletes.push({ client, ranges });
  }
  return { clients, deletes };
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

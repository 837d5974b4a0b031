import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { decodeUpdate, encodeUpdate, fromHex, structLength, toHex, type Item } from './update-codec.js';
import { KILLER_UPDATE_HEX, MUTATIONS, collectMaterial, makeAttack, retarget } from './mutations.js';
import { mulberry32, streamFor } from '../harness/random.js';

function honestDoc(): { doc: Y.Doc; captured: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.clientID = 4242;
  const captured: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => captured.push(update));
  const paragraph = new Y.XmlElement('paragraph');
  doc.getXmlFragment('default').insert(0, [paragraph]);
  const text = new Y.XmlText('');
  paragraph.insert(0, [text]);
  text.insert(0, 'hello world');
  text.format(0, 5, { bold: true });
  text.delete(5, 1);
  doc.getMap('meta').set('title', { a: [1, 'x'] });
  return { doc, captured };
}

test('v1 codec: decode then encode gives back the same bytes, for Yjs-made updates', () => {
  const { doc, captured } = honestDoc();
  for (const update of [...captured, Y.encodeStateAsUpdate(doc)]) {
    assert.equal(toHex(encodeUpdate(decodeUpdate(update))), toHex(update));
  }
});

test('v1 codec: the 15-byte killer is a one-char item then a zero-length item after it', () => {
  const decoded = decodeUpdate(fromHex(KILLER_UPDATE_HEX));
  assert.equal(decoded.clients.length, 1);
  const [first, second] = decoded.clients[0]!.structs as Item[];
  assert.deepEqual(first!.parent, { key: 'x' });
  assert.deepEqual(first!.content, { ref: 4, str: 'a' });
  assert.deepEqual(second!.origin, { client: 7, clock: 0 });
  assert.equal(structLength(second!), 0);
  assert.equal(toHex(encodeUpdate(decoded)), KILLER_UPDATE_HEX);
});

test('v1 codec: clocks past 2^53 are written exactly (bigint varuint)', () => {
  const bytes = encodeUpdate({ clients: [], deletes: [{ client: 1, ranges: [{ clock: 2n ** 53n + 1n, len: 1 }] }] });
  // 2^53+1 needs 8 varuint bytes: 7 bits each for 54 bits.
  assert.equal(toHex(bytes), '00' + '010101' + '81808080808080' + '10' + '01');
});

test('retarget: a captured update re-authored by another client is valid and re-inserts the same text', () => {
  const { doc, captured } = honestDoc();
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const moved = encodeUpdate(retarget(decodeUpdate(captured[2]!), 99));
  Y.applyUpdate(replica, moved);
  assert.equal(Y.getState(replica.store, 99), 'hello world'.length);
  assert.match(replica.getXmlFragment('default').toString(), /hello/);
});

test('mutations: each named defect is in the bytes it produces', () => {
  const { doc, captured } = honestDoc();
  const material = collectMaterial(doc, doc.clientID, captured);
  const random = mulberry32(1);
  const first = (name: string) => {
    const { update } = MUTATIONS[name]!.build(random, material);
    return decodeUpdate(update instanceof Uint8Array ? update : encodeUpdate(update));
  };
  const itemOf = (name: string) => first(name).clients[0]!.structs.at(-1) as Item;
  assert.deepEqual(itemOf('string-empty').content, { ref: 4, str: '' });
  assert.deepEqual(itemOf('deleted-len-0').content, { ref: 1, len: 0 });
  assert.equal(first('clock-2^53-1').clients[0]!.clock, 2 ** 53 - 1);
  assert.equal(first('client-2^32').clients[0]!.client, 2 ** 32);
  const ds = first('ds-past-end-writer').deletes[0]!;
  assert.equal(ds.client, doc.clientID);
  assert.ok(Number(ds.ranges[0]!.clock) >= Y.getState(doc.store, doc.clientID));
  assert.equal(first('ds-len-0').deletes[0]!.ranges[0]!.len, 0);
  const parentIsChar = itemOf('parent-is-a-char');
  assert.ok(parentIsChar.parent && 'id' in parentIsChar.parent);
  assert.ok(material.charIds.some((id) => id.clock === (parentIsChar.parent as { id: { clock: number } }).id.clock));
  const twoParents = itemOf('origins-in-two-parents');
  assert.ok(twoParents.origin && twoParents.rightOrigin);
});

test('mutations: the same seed gives the same attack sequence', () => {
  const { doc, captured } = honestDoc();
  const material = collectMaterial(doc, doc.clientID, captured);
  const run = (seed: number) => {
    const random = streamFor(seed, 'hostile-updates');
    return Array.from({ length: 200 }, () => {
      const attack = makeAttack(random, material);
      return `${attack.mutation}:${toHex(attack.bytes)}`;
    });
  };
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
  // The mix reaches every mutation within a few thousand draws.
  const seen = new Set(run(3).concat(run(4), run(5), run(6), run(9), run(10), run(11), run(12)).map((s) => s.split(':')[0]));
  assert.ok(seen.size >= Object.keys(MUTATIONS).length - 6, `saw ${seen.size}`);
});

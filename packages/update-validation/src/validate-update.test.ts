import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { validateUpdate } from './validate-update.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

/** A v1 update written by hand: one client block of string items under root "t", then a delete set. */
function rawUpdate(options: {
  client?: number;
  clock?: number;
  items: Array<{ text: string; origin?: [number, number]; parent?: [number, number] }>;
  deletions?: Array<[client: number, clock: number, len: number]>;
  secondBlockForSameClient?: boolean;
}): Uint8Array {
  const e = encoding.createEncoder();
  const blocks = options.secondBlockForSameClient ? 2 : 1;
  encoding.writeVarUint(e, blocks);
  for (let b = 0; b < blocks; b++) {
    encoding.writeVarUint(e, options.items.length);
    encoding.writeVarUint(e, options.client ?? 7);
    encoding.writeVarUint(e, options.clock ?? 0);
    for (const item of options.items) {
      const info = 4 | (item.origin ? 0x80 : 0);
      encoding.writeUint8(e, info);
      if (item.origin) {
        encoding.writeVarUint(e, item.origin[0]);
        encoding.writeVarUint(e, item.origin[1]);
      } else if (item.parent) {
        encoding.writeVarUint(e, 0); // parent is an item id
        encoding.writeVarUint(e, item.parent[0]);
        encoding.writeVarUint(e, item.parent[1]);
      } else {
        encoding.writeVarUint(e, 1); // parent is a root type name
        encoding.writeVarString(e, 't');
      }
      encoding.writeVarString(e, item.text);
    }
  }
  const deletions = options.deletions ?? [];
  encoding.writeVarUint(e, deletions.length);
  for (const [client, clock, len] of deletions) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint(e, len);
  }
  return encoding.toUint8Array(e);
}

function honestDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = 7;
  doc.getText('t').insert(0, 'hello world');
  return doc;
}

describe('structural validation of Yjs updates (SAFE2)', () => {
  test('SAFE2 honest updates pass and report their clock ranges', () => {
    const doc = honestDoc();
    const verdict = validateUpdate(Y.encodeStateAsUpdate(doc));
    assert.ok(verdict.ok);
    assert.deepEqual([...verdict.ranges], [[7, [[0, 11]]]]);

    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(peer);
    peer.getText('t').delete(0, 6);
    peer.getText('t').insert(0, 'bye ');
    const diff = Y.encodeStateAsUpdate(peer, before);
    const contextual = validateUpdate(diff, doc);
    assert.ok(contextual.ok, contextual.ok ? '' : contextual.problem);
    assert.deepEqual([...contextual.ranges], [[peer.clientID, [[0, 4]]]]);
  });

  test('SAFE2 a merged update with a gap reports two ranges, not one', () => {
    const doc = new Y.Doc();
    doc.clientID = 9;
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('t');
    text.insert(0, 'aaa');
    text.insert(3, 'bbb');
    text.insert(6, 'ccc');
    const merged = Y.mergeUpdates([updates[0]!, updates[2]!]);
    const verdict = validateUpdate(merged);
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.ranges.get(9), [[0, 3], [6, 9]]);
  });

  test('SAFE2 the 15-byte update that wedged a node is refused (zero-length item)', () => {
    const verdict = validateUpdate(hex('010207000401017801618407000000'));
    assert.equal(verdict.ok, false);
    assert.match(!verdict.ok ? verdict.problem : '', /length 0/);
  });

  const refused: Array<{ name: string; update: () => Uint8Array; context?: boolean; problem: RegExp }> = [
    { name: 'empty string item', update: () => rawUpdate({ items: [{ text: '' }] }), problem: /length 0/ },
    { name: 'clock near 2^53', update: () => rawUpdate({ clock: 2 ** 53 - 3, items: [{ text: 'abc' }] }), problem: /2\^31/ },
    { name: 'clock far ahead of the document', update: () => rawUpdate({ clock: 2 ** 30, items: [{ text: 'a' }] }), context: true, problem: /past the document/ },
    { name: 'a reference to its own future', update: () => rawUpdate({ items: [{ text: 'a', origin: [7, 5] }] }), problem: /own future/ },
    { name: 'a parent that is not a type', update: () => rawUpdate({ client: 8, items: [{ text: 'x', parent: [7, 2] }] }), context: true, problem: /not a type/ },
    { name: 'a deletion of length 0', update: () => rawUpdate({ items: [{ text: 'a' }], deletions: [[7, 0, 0]] }), problem: /deletion 7:0 has length 0/ },
    { name: 'a deletion reaching 2^53', update: () => rawUpdate({ items: [{ text: 'a' }], deletions: [[7, 0, 2 ** 53 - 1]] }), problem: /2\^31/ },
    { name: 'a deletion far past the document', update: () => rawUpdate({ client: 8, items: [{ text: 'a' }], deletions: [[7, 2 ** 25, 5]] }), context: true, problem: /reaches past/ },
    { name: 'two blocks for one client', update: () => rawUpdate({ items: [{ text: 'a' }], secondBlockForSameClient: true }), problem: /two blocks|overlap/ },
    { name: 'truncated', update: () => Y.encodeStateAsUpdate(honestDoc()).slice(0, 9), problem: /does not decode/ },
  ];
  for (const { name, update, context, problem } of refused) {
    test(`SAFE2 refused: ${name}`, () => {
      const verdict = validateUpdate(update(), context ? honestDoc() : undefined);
      assert.equal(verdict.ok, false, 'refused');
      assert.match(!verdict.ok ? verdict.problem : '', problem);
    });
  }

  /** A v1 update with one string item between `origin` and `rightOrigin` (no parent info: Yjs takes it from them). */
  function between(origin: [number, number], rightOrigin: [number, number]): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 8);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 4 | 0x80 | 0x40);
    encoding.writeVarUint(e, origin[0]);
    encoding.writeVarUint(e, origin[1]);
    encoding.writeVarUint(e, rightOrigin[0]);
    encoding.writeVarUint(e, rightOrigin[1]);
    encoding.writeVarString(e, 'zz');
    encoding.writeVarUint(e, 0);
    return encoding.toUint8Array(e);
  }

  test('SAFE2 origins out of order or in two parents are refused (replicas would place the item differently for good)', () => {
    const doc = honestDoc(); // client 7: "hello world" at clocks 0–10 under "t"
    doc.getText('u').insert(0, 'other');
    assert.ok(validateUpdate(between([7, 4], [7, 5]), doc).ok, 'neighbours in order pass');
    for (const [origin, right, problem] of [
      [[7, 4], [7, 4], /same item/],
      [[7, 6], [7, 2], /not to the right/],
      [[7, 4], [7, 11], /different parents/],
    ] as const) {
      const verdict = validateUpdate(between([...origin], [...right]), doc);
      assert.equal(verdict.ok, false, `${origin} / ${right}`);
      assert.match(!verdict.ok ? verdict.problem : '', problem);
    }
  });

  test('SAFE2 a client cannot delete what the document does not hold yet (it would eat its next, acknowledged edits)', () => {
    const doc = honestDoc();
    const past = rawUpdate({ client: 8, items: [{ text: 'a' }], deletions: [[7, 9, 9]] });
    assert.equal(validateUpdate(past, doc, { deletesMustBeKnown: true }).ok, false);
    const unknownClient = rawUpdate({ client: 8, items: [{ text: 'a' }], deletions: [[4242, 0, 1]] });
    assert.equal(validateUpdate(unknownClient, doc, { deletesMustBeKnown: true }).ok, false);
    const own = rawUpdate({ client: 8, items: [{ text: 'abc' }], deletions: [[8, 0, 2], [7, 0, 11]] });
    assert.ok(validateUpdate(own, doc, { deletesMustBeKnown: true }).ok, 'what it holds or brings itself');
    // A stored row may delete an item whose row comes later in the log.
    assert.ok(validateUpdate(past, doc).ok);
  });

  test('SAFE2 a subdocument is refused', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('sub', new Y.Doc());
    const verdict = validateUpdate(Y.encodeStateAsUpdate(doc));
    assert.equal(verdict.ok, false);
  });

  test('SAFE2 an honest out-of-order update (missing parent) passes: Yjs keeps it pending', () => {
    const doc = honestDoc();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    peer.on('update', (u: Uint8Array) => updates.push(u));
    peer.getText('t').insert(0, 'A');
    peer.getText('t').insert(1, 'B');
    const verdict = validateUpdate(updates[1]!, doc);
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.problem);
  });
});

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

  /** Client 7's "Z" at clock 0 between `origin` and `rightOrigin` (either may be missing: list start / end). */
  function encodeOrigins(origin: [number, number] | null, rightOrigin: [number, number] | null): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 7);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 4 | (origin ? 0x80 : 0) | (rightOrigin ? 0x40 : 0));
    for (const id of [origin, rightOrigin]) {
      if (!id) continue;
      encoding.writeVarUint(e, id[0]);
      encoding.writeVarUint(e, id[1]);
    }
    encoding.writeVarString(e, 'Z');
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

  test('SAFE2 an item whose origins enclose what its author had is refused (live and freshly loaded replicas diverged: 01010700440104015800)', () => {
    // Client 1 typed "abcdef" (clocks 0–5) under root "t".
    const base = hex('01010100040101740661626364656600');
    // Client 7: "X" with no origin (list start) and right origin 1:4 ("e"). No Yjs
    // client writes that: 1:0–1:3 precede 1:4 and were left of it when 7 saw it.
    const bad = hex('01010700440104015800');
    // Client 8: "Y" after 1:2 ("c"), list end as right origin: honest (8 had not seen "def").
    const honest = hex('01010800840102015900');
    const doc = (...updates: Uint8Array[]) => {
      const d = new Y.Doc();
      for (const u of updates) Y.applyUpdate(d, u);
      return d;
    };
    // The divergence, in plain Yjs: base, bad, honest applied live vs the same state loaded fresh.
    const live = doc(base, bad, honest);
    assert.equal(live.getText('t').toString(), 'abcdYXef');
    assert.equal(doc(Y.encodeStateAsUpdate(live)).getText('t').toString(), 'abcdXefY');
    assert.equal(doc(base, honest, bad).getText('t').toString(), 'abcdXefY');

    const verdict = validateUpdate(bad, doc(base), { deletesMustBeKnown: true });
    assert.equal(verdict.ok, false);
    assert.match(!verdict.ok ? verdict.problem : '', /1:0 lies between origin and right origin/);
    assert.ok(validateUpdate(honest, doc(base), { deletesMustBeKnown: true }).ok, 'a concurrent insert at the end passes');
    assert.ok(validateUpdate(honest, doc(base, bad)).ok);

    const text = doc(base);
    for (const [origin, right, ok] of [
      [[1, 3], [1, 4], true], // neighbours
      [[1, 1], [1, 4], false], // 1:2 and 1:3 lie between (the same struct)
      [null, [1, 0], true], // at the start
      [[1, 5], null, true], // at the end
      [[1, 4], null, true], // 7 may not have had 1:5 yet (nothing proves it did)
      [null, [1, 2], false], // 1:0 and 1:1 precede 1:2
    ] as const) {
      const update = encodeOrigins(origin ? [...origin] : null, right ? [...right] : null);
      assert.equal(validateUpdate(update, text).ok, ok, `${origin} / ${right}`);
    }
  });

  test('SAFE2 honest undo/redo, formatting and concurrent edits pass the origin rule', () => {
    const server = new Y.Doc();
    const peers = [1, 2].map((client) => {
      const d = new Y.Doc();
      d.clientID = client;
      return d;
    });
    const sent: Array<[Y.Doc, Uint8Array]> = [];
    for (const d of peers) d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && sent.push([d, u]));
    const [a, b] = peers as [Y.Doc, Y.Doc];
    const undo = new Y.UndoManager(a.getText('t'), { captureTimeout: 0 });
    a.getText('t').insert(0, 'hello world');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'sync');
    a.getText('t').delete(2, 5);
    b.getText('t').insert(6, 'big ', { bold: true });
    b.getText('t').insert(11, '!');
    undo.undo();
    a.getText('t').format(0, 4, { italic: true });
    undo.undo();
    undo.redo();
    for (const [, update] of sent) {
      const verdict = validateUpdate(update, server, { deletesMustBeKnown: true });
      assert.ok(verdict.ok, verdict.ok ? '' : verdict.problem);
      Y.applyUpdate(server, update);
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

  test('SAFE2 an edit between the two UTF-16 halves of an emoji is refused (Yjs would replace the pair with U+FFFD on some replicas only)', () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    doc.getText('t').insert(0, 'a😀b'); // clocks: a=0, high=1, low=2, b=3
    const peer = new Y.Doc();
    peer.clientID = 8;
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(peer);
    peer.getText('t').insert(2, 'x'); // between the halves
    const inside = Y.encodeStateAsUpdate(peer, before);
    const verdict = validateUpdate(inside, doc);
    assert.equal(verdict.ok, false);
    assert.match(!verdict.ok ? verdict.problem : '', /two halves/);
    const around = new Y.Doc();
    Y.applyUpdate(around, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(around);
    around.getText('t').insert(3, 'y'); // after the emoji
    around.getText('t').delete(1, 2); // the whole emoji
    assert.ok(validateUpdate(Y.encodeStateAsUpdate(around, sv), doc).ok, 'edits around a whole character pass');
    const half = new Y.Doc();
    Y.applyUpdate(half, Y.encodeStateAsUpdate(doc));
    half.getText('t').delete(1, 1); // only the high half
    assert.equal(validateUpdate(Y.encodeStateAsUpdate(half, Y.encodeStateVector(doc)), doc).ok, false, 'deleting half a character is refused');
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

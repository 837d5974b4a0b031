import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { canonical, checkDocument } from './checker.js';
import { TOKENS, type TokenRecord } from './workload.js';

function docWith(tokens: string[], clientID: number): { doc: Y.Doc; records: TokenRecord[] } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const records: TokenRecord[] = [];
  for (const token of tokens) {
    records.push({ token, client: doc.clientID, clock: Y.getState(doc.store, doc.clientID) });
    doc.getArray<string>(TOKENS).push([token]);
  }
  return { doc, records };
}

const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);

describe('chaos checker', () => {
  it('passes when every replica and Postgres hold every acknowledged token once', () => {
    const { doc, records } = docWith(['w1:0', 'w1:1', 'w1:2'], 1);
    const replica = new Y.Doc();
    // Applied one update at a time: different history, same canonical state.
    for (let i = 0; i < 3; i++) Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc, i === 0 ? undefined : Y.encodeStateVector(replica)));
    const verdict = checkDocument({
      document: 'd',
      acknowledged: records,
      postgres: state(doc),
      replicas: [{ name: 'w1', update: state(doc) }, { name: 'fresh@n1', update: state(replica) }],
    });
    assert.deepEqual(verdict.lost, []);
    assert.equal(verdict.identical, true, verdict.difference ?? '');
    assert.equal(verdict.unloadable, null);
  });

  it('counts an acknowledged token missing from Postgres as lost, and the replicas as different', () => {
    const { doc, records } = docWith(['w1:0', 'w1:1'], 1);
    const stored = docWith(['w1:0'], 1).doc;
    const verdict = checkDocument({ document: 'd', acknowledged: records, postgres: state(stored), replicas: [{ name: 'w1', update: state(doc) }] });
    assert.deepEqual(verdict.lost, ['w1:1']);
    assert.equal(verdict.identical, false);
    assert.match(verdict.difference ?? '', /state vectors differ/);
  });

  it('treats an unloadable document as broken with every acknowledged token lost', () => {
    const { doc, records } = docWith(['w1:0'], 1);
    const verdict = checkDocument({ document: 'd', acknowledged: records, postgres: new Error('log entry 3 does not decode'), replicas: [{ name: 'w1', update: state(doc) }] });
    assert.equal(verdict.unloadable, 'log entry 3 does not decode');
    assert.deepEqual(verdict.lost, ['w1:0']);
    assert.equal(verdict.identical, false);
  });

  it('flags a token that appears twice', () => {
    const a = docWith(['w1:0'], 1);
    const b = docWith(['w1:0'], 2); // the same token written again by another client id
    Y.applyUpdate(a.doc, state(b.doc));
    const verdict = checkDocument({ document: 'd', acknowledged: a.records, postgres: state(a.doc), replicas: [] });
    assert.deepEqual(verdict.duplicated, ['w1:0']);
  });

  it('canonical bytes do not depend on how a replica received its updates', () => {
    const { doc } = docWith(['a', 'b', 'c', 'd'], 7);
    const piecewise = new Y.Doc();
    const updates: Uint8Array[] = [];
    const source = new Y.Doc();
    source.clientID = 7;
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (const t of ['a', 'b', 'c', 'd']) source.getArray<string>(TOKENS).push([t]);
    for (const u of updates) Y.applyUpdate(piecewise, u);
    assert.ok(canonical(state(piecewise)).state.equals(canonical(state(doc)).state));
  });
});

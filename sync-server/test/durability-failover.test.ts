import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import type { Database } from '@copycloud/db';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import { waitFor } from '@copycloud/testing';
import { memoryDatabase, startClusterNode, uniquePrefix, type ClusterNode } from './cluster-helpers.js';

/**
 * A database whose update-log appends wait at a gate: the node that took an
 * edit publishes it to its peers, then "dies before its commit" — the commit
 * never happens while the test looks.
 */
function gatedAppends(db: Database): { db: Database; open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    db: {
      ...db,
      query: async (text, params) => {
        if (/INSERT INTO document_updates/.test(text)) await gate;
        return db.query(text, params);
      },
    },
    open,
  };
}

/** A provider that records every `saved` vector its node sends. */
function author(syncUrl: string, documentName: string, doc: Y.Doc) {
  const saved: Array<Map<number, number>> = [];
  const provider = new HocuspocusProvider({ url: `${syncUrl}?doc=${documentName}`, name: documentName, document: doc, token: 't' });
  provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = decodeServerStateless(payload);
    if (message?.type === 'saved') saved.push(Y.decodeStateVector(fromBase64(message.sv)));
  });
  return { provider, saved, covered: () => saved.some((sv) => (sv.get(doc.clientID) ?? 0) >= Y.getState(doc.store, doc.clientID)) };
}

let db: Database;
let stuck: ClusterNode;
let survivor: ClusterNode;
let gate: { open(): void };
const DOC = 'double-fault';

before(async () => {
  db = await memoryDatabase();
  const prefix = uniquePrefix('failover');
  const gated = gatedAppends(db);
  gate = gated;
  stuck = await startClusterNode({ db: gated.db, prefix, nodeId: 'stuck' });
  survivor = await startClusterNode({ db, prefix, nodeId: 'survivor' });
});
after(async () => {
  gate.open();
  await stuck.stop();
  await survivor.stop();
  await db.close();
});

test('STORE10 a node never acknowledges an edit it only holds in memory from a peer; it does once the edit is committed', async () => {
  const reader = new HocuspocusProvider({ url: `${survivor.syncUrl}?doc=${DOC}`, name: DOC, document: new Y.Doc(), token: 't' });
  await waitFor(() => reader.isSynced, { message: 'reader synced on the survivor' });

  const doc = new Y.Doc();
  const onStuck = author(stuck.syncUrl, DOC, doc);
  await waitFor(() => onStuck.provider.isSynced, { message: 'author synced on the stuck node' });
  doc.getText('t').insert(0, 'acknowledged means stored');
  await waitFor(() => assert.equal(reader.document.getText('t').toString(), 'acknowledged means stored'), { message: 'edit reached the survivor over Redis' });
  assert.equal(onStuck.covered(), false, 'the stuck node could not commit, so it never said saved');

  // The author fails over to the survivor, which holds the edit only as a peer's unconfirmed update.
  onStuck.provider.destroy();
  const onSurvivor = author(survivor.syncUrl, DOC, doc);
  await waitFor(() => onSurvivor.provider.isSynced && onSurvivor.saved.length > 0, { message: 'author synced on the survivor' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(onSurvivor.covered(), false, 'saved on connect covers only what is committed');
  assert.equal(await logRows(), 0, 'nothing is in Postgres yet');

  // The survivor takes the unconfirmed edit over (its sender never confirmed it), commits it, and only now says saved.
  await waitFor(() => onSurvivor.covered(), { timeoutMs: 10_000, message: 'saved after the takeover commit' });
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await survivor.node.store.loadMerged(DOC))!);
  assert.equal(stored.getText('t').toString(), 'acknowledged means stored');
  onSurvivor.provider.destroy();
  reader.destroy();
});

async function logRows(): Promise<number> {
  const { rows } = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM document_updates WHERE document_id = $1', [DOC]);
  return Number(rows[0]?.n ?? 0);
}

test("STORE10 a co-author's edit is acknowledged only once what it builds on is stored too (the peer that took the author's edit died before its commit)", async () => {
  const name = 'double-fault-coauthor';
  const authorDoc = new Y.Doc();
  const onStuck = author(stuck.syncUrl, name, authorDoc);
  const coauthorDoc = new Y.Doc();
  const coauthor = author(survivor.syncUrl, name, coauthorDoc);
  await waitFor(() => onStuck.provider.isSynced && coauthor.provider.isSynced, { message: 'both synced' });
  authorDoc.getText('t').insert(0, 'Headline.');
  await waitFor(() => assert.equal(coauthorDoc.getText('t').toString(), 'Headline.'), { message: 'author edit reached the co-author' });
  // The co-author types right after it: their items' origin is the author's last character.
  coauthorDoc.getText('t').insert(9, ' Body copy.');
  await waitFor(() => coauthor.covered(), { timeoutMs: 10_000, message: "co-author's edit acknowledged" });
  // Whatever the survivor acknowledged must load from Postgres on its own:
  // the stuck node never committed the author's edit it builds on.
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await survivor.node.store.loadMerged(name))!);
  assert.equal(stored.getText('t').toString(), 'Headline. Body copy.');
  onStuck.provider.destroy();
  coauthor.provider.destroy();
});

/**
 * STORE10, the other half: an author whose committed edit sits behind a gap
 * only a peer stored is acknowledged once that peer announces it — and the
 * node then announces the vector it now reaches, so the peer's authors are
 * acknowledged too. The peer is played by this test over the real Redis
 * channel (frames in the cluster wire format), so every step happens in the
 * order the test chooses.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { HocuspocusProvider } from '@hocuspocus/provider';
import type { Database } from '@copycloud/db';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import { waitFor } from '@copycloud/testing';
import { ClusterMessageKind, decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from '../src/cluster/wire.js';
import { SHARED_REDIS_URL, memoryDatabase, startClusterNode, uniquePrefix, type ClusterNode } from './cluster-helpers.js';

const DOC = 'saved-after-peer-commit';
const PEER = 'peer-f/0001';

let db: Database;
let node: ClusterNode;
let prefix: string;
let publisher: Redis;
let listener: Redis;
/** Durable state vectors the node announced on the document's channel. */
const announced: Array<Map<number, number>> = [];

before(async () => {
  db = await memoryDatabase();
  prefix = uniquePrefix('saved-peer');
  node = await startClusterNode({ db, prefix, nodeId: 'a' });
  publisher = new Redis(SHARED_REDIS_URL);
  listener = new Redis(SHARED_REDIS_URL);
  await listener.subscribe(`${prefix}:doc:${DOC}`);
  listener.on('messageBuffer', (_channel: Buffer, data: Buffer) => {
    const message = decodeClusterMessage(new Uint8Array(data));
    if (message.kind === ClusterMessageKind.Durable && message.sender !== PEER && message.stateVector) {
      announced.push(Y.decodeStateVector(message.stateVector));
    }
  });
});
after(async () => {
  listener.disconnect();
  publisher.disconnect();
  await node.stop();
  await db.close();
});

function fromPeer(message: ClusterMessage, documentName = DOC): Promise<number> {
  return publisher.publish(`${prefix}:doc:${documentName}`, Buffer.from(encodeClusterMessage(message)));
}

test('STORE10 an author whose commit follows a range only a peer stored is acknowledged when the peer announces it, and the node announces what it now reaches', async () => {
  // The writer's replica: its first edit reaches the node only over Redis (from the peer that took it), its second through the author's socket.
  const writer = new Y.Doc();
  writer.getText('t').insert(0, 'abc');
  const first = Y.encodeStateAsUpdate(writer);
  const afterFirst = Y.encodeStateVector(writer);
  writer.getText('t').insert(3, 'def');
  const second = Y.encodeStateAsUpdate(writer, afterFirst);
  const client = writer.clientID;

  const doc = new Y.Doc();
  const saved: Array<Map<number, number>> = [];
  const provider = new HocuspocusProvider({ url: `${node.syncUrl}?doc=${DOC}`, name: DOC, document: doc, token: 't' });
  provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = decodeServerStateless(payload);
    if (message?.type === 'saved') saved.push(Y.decodeStateVector(fromBase64(message.sv)));
  });
  const ackedClock = () => Math.max(0, ...saved.map((sv) => sv.get(client) ?? 0));
  await waitFor(() => provider.isSynced && saved.length > 0, { message: 'author synced' });

  // The peer took the first edit and published it; it then confirms it
  // committed (seq only, as the durableSeq of an update does), so the node
  // does not store it itself — it knows it is stored, not how far.
  await fromPeer({ kind: ClusterMessageKind.Update, sender: PEER, target: '', seq: 1, durableSeq: 0, sentAtMs: Date.now(), update: first });
  await waitFor(() => assert.equal(doc.getText('t').toString(), 'abc'), { message: "the peer's update reached the author" });
  await fromPeer({ kind: ClusterMessageKind.Durable, sender: PEER, target: '', seq: 1 });

  // The author sends the second edit; the node commits it, but the range
  // before it is not known durable here, so `saved` must not cover it yet.
  const savedBefore = saved.length;
  Y.applyUpdate(doc, second);
  await waitFor(() => saved.length > savedBefore && provider.unsyncedChanges === 0, { message: 'the commit of the second edit was acknowledged' });
  await waitFor(async () => assert.ok((await logRows()) > 0), { message: 'the second edit is committed' });
  assert.equal(ackedClock(), 0, 'saved never covers a range the node does not know is stored');

  // The peer announces its durable vector: it stored the first edit. Now the
  // node knows both ranges are in Postgres: the author hears it, and peers
  // hear the node's vector (it reaches past the peer's).
  await fromPeer({ kind: ClusterMessageKind.Durable, sender: PEER, target: '', seq: 1, stateVector: Y.encodeStateVector(new Map([[client, 3]])) });
  await waitFor(() => assert.equal(ackedClock(), 6), { message: 'the author is acknowledged up to its last edit' });
  await waitFor(() => assert.ok(announced.some((sv) => (sv.get(client) ?? 0) >= 6), `announced ${JSON.stringify(announced.map((sv) => [...sv]))}`), {
    message: 'the node announced the vector it now reaches',
  });
  provider.destroy();
});

async function logRows(): Promise<number> {
  const { rows } = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM document_updates WHERE document_id = $1', [DOC]);
  return Number(rows[0]?.n ?? 0);
}

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/**
 * A Hocuspocus client on a raw socket, so the test decides when its sync
 * step 2 leaves; it records the `saved` vectors it receives.
 */
function rawClient(url: string, documentName: string) {
  const saved: Array<Map<number, number>> = [];
  const ws = new WebSocket(`${url}?doc=${documentName}`);
  ws.on('error', () => {});
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== 5) return; // Hocuspocus' Stateless
    const message = decodeServerStateless(decoding.readVarString(decoder));
    if (message?.type === 'saved') saved.push(Y.decodeStateVector(fromBase64(message.sv)));
  });
  const opened = new Promise<void>((resolve) => ws.on('open', () => resolve()));
  return {
    saved,
    async authenticate() {
      await opened;
      ws.send(frame((e) => (encoding.writeVarString(e, documentName), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, 't'))));
    },
    sendStep2(update: Uint8Array) {
      ws.send(frame((e) => (encoding.writeVarString(e, documentName), encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, update))));
    },
    close: () => ws.close(),
  };
}

test('STORE10 a client whose sync step 2 brings nothing new (its edits came over Redis first) is acknowledged once they are durable', async () => {
  const name = 'saved-after-noop-step2';
  const writer = new Y.Doc();
  writer.getText('t').insert(0, 'typed on the other node');
  const edits = Y.encodeStateAsUpdate(writer);
  const client = writer.clientID;

  const raw = rawClient(node.syncUrl, name);
  await raw.authenticate();
  await waitFor(() => raw.saved.length > 0, { message: 'connected: the first saved' });
  // The client's edits reach the node from the peer that took them, after the client joined.
  await fromPeer({ kind: ClusterMessageKind.Update, sender: PEER, target: '', seq: 1, durableSeq: 0, sentAtMs: Date.now(), update: edits }, name);
  await fromPeer({ kind: ClusterMessageKind.Durable, sender: PEER, target: '', seq: 1 }, name);
  const live = () => node.node.hocuspocus.documents.get(name);
  await waitFor(() => assert.equal(live()?.getText('t').toString(), 'typed on the other node'), { message: "the peer's update applied" });

  // Its step 2 (what the node lacked when it answered step 1) is now a no-op.
  raw.sendStep2(edits);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(raw.saved.every((sv) => (sv.get(client) ?? 0) === 0), 'saved never covers edits the node does not know are stored');

  await fromPeer({ kind: ClusterMessageKind.Durable, sender: PEER, target: '', seq: 1, stateVector: Y.encodeStateVector(writer) }, name);
  await waitFor(() => assert.ok(raw.saved.some((sv) => (sv.get(client) ?? 0) >= Y.getState(writer.store, client))), {
    message: 'acknowledged once the peer announced the edits stored',
  });
  raw.close();
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { CloseCodes } from '@copycloud/protocol';
import { waitFor } from '@copycloud/testing';
import { connectClient, startInProcessNode, waitSynced, type InProcessNode } from './helpers.js';

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};
const authFrame = (doc: string) => frame((e) => (encoding.writeVarString(e, doc), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, 't')));
const updateFrame = (doc: string, update: Uint8Array) =>
  frame((e) => (encoding.writeVarString(e, doc), encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, update)));

/** A raw Hocuspocus socket that sends `update` for `doc` and reports its close code. */
function rawSender(url: string, doc: string, update: Uint8Array): { closed: Promise<number>; ws: WebSocket } {
  const ws = new WebSocket(`${url}?doc=${doc}`);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('open', () => {
    ws.send(authFrame(doc));
    ws.send(updateFrame(doc, update));
  });
  ws.on('error', () => {});
  return { closed, ws };
}

let server: InProcessNode;
before(async () => {
  server = await startInProcessNode();
});
after(() => server.stop());

/** Two updates from one author: the second builds on the first. */
function dependentPair(): { first: Uint8Array; second: Uint8Array } {
  const author = new Y.Doc();
  const updates: Uint8Array[] = [];
  author.on('update', (u: Uint8Array) => updates.push(u));
  author.getText('t').insert(0, 'abc');
  author.getText('t').insert(3, 'X');
  return { first: updates[0]!, second: updates[1]! };
}

test('SAFE3 an update that arrives before what it builds on is held, then applied once that arrives — never left pending in Yjs', async () => {
  const doc = 'held-then-applied';
  const reader = connectClient(server.syncUrl, doc);
  await waitSynced(reader);
  const { first, second } = dependentPair();
  const early = rawSender(server.syncUrl, doc, second);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const live = server.node.hocuspocus.documents.get(doc)!;
  assert.equal(live.store.pendingStructs, null, 'nothing pending inside Yjs');
  assert.equal(reader.text.toString(), '', 'not applied yet');
  const late = rawSender(server.syncUrl, doc, first);
  await waitFor(() => assert.equal(reader.text.toString(), 'abcX'), { message: 'both applied, in order' });
  early.ws.close();
  late.ws.close();
  reader.destroy();
});

test('SAFE3 an update whose dependency never arrives closes its socket with 4422 after the hold expires', async () => {
  const doc = 'held-then-refused';
  const reader = connectClient(server.syncUrl, doc);
  await waitSynced(reader);
  const { second } = dependentPair();
  const sender = rawSender(server.syncUrl, doc, second);
  assert.equal(await sender.closed, CloseCodes.BadUpdate.code);
  assert.equal(reader.text.toString(), '');
  reader.destroy();
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { CloseCodes } from '@copycloud/protocol';
import { waitFor } from '@copycloud/testing';
import { connectClient, startInProcessNode, waitSynced, type InProcessNode } from './helpers.js';

/** Opens a raw socket, sends `frames`, resolves with the close code and reason. */
function sendAndAwaitClose(url: string, frames: Array<Uint8Array | string>): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error('socket was not closed by the server')), 10_000);
    ws.on('open', () => {
      for (const frame of frames) ws.send(frame);
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
    ws.on('error', () => {});
  });
}

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const authFrame = (doc: string) =>
  frame((e) => {
    encoding.writeVarString(e, doc);
    encoding.writeVarUint(e, 2); // Auth
    encoding.writeVarUint(e, 0); // token
    encoding.writeVarString(e, 'test');
  });

const updateFrame = (doc: string, update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarString(e, doc);
    encoding.writeVarUint(e, 0); // Sync
    encoding.writeVarUint(e, 2); // update
    encoding.writeVarUint8Array(e, update);
  });

/** A v1 update with one string item "x", under root type "t" or under an item id. */
function stringItemUpdate(options: { client: number; clock: number; parent: 'root' | [number, number] }): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 1); // one client block
    encoding.writeVarUint(e, 1); // one struct
    encoding.writeVarUint(e, options.client);
    encoding.writeVarUint(e, options.clock);
    encoding.writeUint8(e, 4); // ContentString, no origins: parent info follows
    if (options.parent === 'root') {
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, 't');
    } else {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, options.parent[0]);
      encoding.writeVarUint(e, options.parent[1]);
    }
    encoding.writeVarString(e, 'x');
    encoding.writeVarUint(e, 0); // empty delete set
  });
}

describe('bad input closes one connection with a clear code and spares the rest', () => {
  let server: InProcessNode;
  before(async () => {
    server = await startInProcessNode({ config: { maxPayloadBytes: 64 * 1024 } });
  });
  after(() => server.stop());

  const DOC = 'victim';
  let bystander: ReturnType<typeof connectClient>;

  before(async () => {
    bystander = connectClient(server.syncUrl, DOC);
    await waitSynced(bystander);
    bystander.text.insert(0, 'intact');
  });
  after(() => bystander.destroy());

  /** After each attack: the bystander still edits and the stored document is intact. */
  async function assertDocumentIntact(marker: string) {
    bystander.text.insert(bystander.text.length, marker);
    const probe = connectClient(server.syncUrl, DOC);
    try {
      await waitSynced(probe);
      await waitFor(() => assert.ok(probe.text.toString().endsWith(marker)));
      assert.ok(probe.text.toString().startsWith('intact'));
      await server.node.writer.flush();
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await server.node.store.loadMerged(DOC))!);
      assert.equal(stored.getText('t').toString(), bystander.text.toString());
    } finally {
      probe.destroy();
    }
  }

  const attacks: Array<{ name: string; url?: string; frames: () => Array<Uint8Array | string>; expect: { code: number } }> = [
    { name: 'malformed binary frame', frames: () => [new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff])], expect: CloseCodes.BadMessage },
    {
      name: 'unknown message type',
      frames: () => [frame((e) => (encoding.writeVarString(e, DOC), encoding.writeVarUint(e, 99)))],
      expect: CloseCodes.BadMessage,
    },
    {
      name: 'truncated update',
      frames: () => {
        const author = new Y.Doc();
        author.getText('t').insert(0, 'this update will be cut in half');
        const update = Y.encodeStateAsUpdate(author);
        return [authFrame(DOC), updateFrame(DOC, update.slice(0, Math.floor(update.length / 2)))];
      },
      expect: CloseCodes.BadUpdate,
    },
    {
      // Decodes, and Yjs would apply it: a zero-length item that wedged the document for good (issue 10).
      name: 'the 15-byte zero-length-item update',
      frames: () => [authFrame(DOC), updateFrame(DOC, Uint8Array.from(Buffer.from('010207000401017801618407000000', 'hex')))],
      expect: CloseCodes.BadUpdate,
    },
    {
      name: 'an item at clock 2^53 - 2',
      frames: () => [authFrame(DOC), updateFrame(DOC, stringItemUpdate({ client: 99, clock: 2 ** 53 - 2, parent: 'root' }))],
      expect: CloseCodes.BadUpdate,
    },
    {
      name: 'an item whose parent is a character, not a type',
      frames: () => [authFrame(DOC), updateFrame(DOC, stringItemUpdate({ client: 98, clock: 0, parent: [bystander.doc.clientID, 0] }))],
      expect: CloseCodes.BadUpdate,
    },
    { name: 'text frame', frames: () => ['hello'], expect: CloseCodes.BadMessage },
    { name: 'empty document name', url: '?doc=', frames: () => [], expect: CloseCodes.BadDocumentName },
    { name: 'document name of 10 KB', frames: () => [authFrame('x'.repeat(10_000))], expect: CloseCodes.BadDocumentName },
    { name: '../ document name', url: `?doc=${encodeURIComponent('../etc/passwd')}`, frames: () => [], expect: CloseCodes.BadDocumentName },
    {
      name: 'message for another document than ?doc=',
      url: `?doc=${DOC}`,
      frames: () => [authFrame('other')],
      expect: CloseCodes.BadDocumentName,
    },
    {
      name: 'server-only message type from a client',
      frames: () => [frame((e) => (encoding.writeVarString(e, DOC), encoding.writeVarUint(e, 6), encoding.writeVarString(e, 'x')))],
      expect: CloseCodes.BadMessage,
    },
    { name: 'frame over the payload limit', frames: () => [new Uint8Array(64 * 1024 + 1)], expect: CloseCodes.PayloadTooLarge },
  ];

  for (const attack of attacks) {
    test(`${attack.expect.code === CloseCodes.BadUpdate.code ? 'SAFE2' : 'SAFE1'} ${attack.name} → close ${attack.expect.code}`, async () => {
      const closed = await sendAndAwaitClose(server.syncUrl + (attack.url ?? ''), attack.frames());
      assert.equal(closed.code, attack.expect.code, `reason: ${closed.reason}`);
      // 1009 is RFC 6455's own "Message Too Big"; ws sends it without a reason text.
      if (attack.expect.code !== 1009) assert.ok(closed.reason.length > 0, 'a close reason is given');
      await assertDocumentIntact(`|${attack.name}`);
    });
  }
});

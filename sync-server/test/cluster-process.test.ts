import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DocumentStore, openDatabase } from '@copycloud/db';
import { decodeServerStateless, fromBase64, CloseCodes } from '@copycloud/protocol';
import { createTestSchema, waitFor } from '@copycloud/testing';
import { spawnNode, type SpawnedNode } from './helpers.js';
import { assertIdentical, hocuspocusClient, SHARED_REDIS_URL, uniquePrefix, type Client } from './cluster-helpers.js';

/**
 * A client that, like a browser behind the load balancer, reconnects to the
 * next node when its node goes away, keeping its Y.Doc (and unsent edits).
 */
function failoverClient(urls: string[], documentName: string) {
  const doc = new Y.Doc();
  let index = 0;
  const closeCodes: number[] = [];
  /** Highest clock of this client's own edits acknowledged as durable ("saved"). */
  let ackedClock = 0;
  let client: Client;
  const connect = () => {
    client = hocuspocusClient(urls[index]!, documentName, 'x', doc);
    client.provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = decodeServerStateless(payload);
      if (message?.type === 'saved') ackedClock = Math.max(ackedClock, Y.decodeStateVector(fromBase64(message.sv)).get(doc.clientID) ?? 0);
    });
    client.provider.on('close', ({ event }: { event: { code: number } }) => {
      closeCodes.push(event.code);
      if (index + 1 < urls.length) {
        client.destroy();
        index += 1;
        connect();
      }
    });
  };
  connect();
  return {
    doc,
    text: doc.getText('t'),
    closeCodes,
    get ackedClock() {
      return ackedClock;
    },
    get client() {
      return client;
    },
    destroy: () => client.destroy(),
  };
}

async function storedDoc(databaseUrl: string, documentName: string): Promise<Y.Doc> {
  const db = await openDatabase({ url: databaseUrl, dataDir: '' });
  try {
    const copy = new Y.Doc();
    const state = await new DocumentStore(db).loadMerged(documentName);
    if (state) Y.applyUpdate(copy, state);
    return copy;
  } finally {
    await db.close();
  }
}

for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
  describe(`CLUSTER6 ${signal} of one node mid-edit (real processes)`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test(`CLUSTER6 ${signal}: clients move to the other node, converge, no acknowledged edit lost, nothing duplicated`, async () => {
      const schema = await createTestSchema('cluster');
      cleanups.push(() => schema.drop());
      const env = { DATABASE_URL: schema.url, REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: uniquePrefix('proc'), ANTI_ENTROPY_INTERVAL_MS: '200', LOG_LEVEL: 'info' };
      const nodes: SpawnedNode[] = [await spawnNode({ ...env, NODE_ID: 'one' }), await spawnNode({ ...env, NODE_ID: 'two' })];
      cleanups.push(async () => {
        for (const n of nodes) await n.stop('SIGKILL');
      });
      const writer = failoverClient([nodes[0]!.syncUrl, nodes[1]!.syncUrl], 'failover');
      const reader = failoverClient([nodes[1]!.syncUrl], 'failover');
      cleanups.push(async () => {
        writer.destroy();
        reader.destroy();
      });
      await waitFor(() => writer.client.provider.isSynced && reader.client.provider.isSynced, { timeoutMs: 20_000 });

      let expected = '';
      const type = (count: number) => {
        for (let i = 0; i < count; i++) {
          const char = String.fromCharCode(97 + (expected.length % 26));
          writer.text.insert(writer.text.length, char);
          expected += char;
        }
      };
      type(50);
      await waitFor(() => assert.ok(writer.ackedClock >= 50, `acked ${writer.ackedClock}`), { timeoutMs: 20_000 });
      type(50); // in flight when the node goes
      const exitCode = await nodes[0]!.stop(signal);
      if (signal === 'SIGTERM') assert.equal(exitCode, 0);
      const ackedAtDeath = writer.ackedClock;
      type(50); // typed while reconnecting

      await waitFor(() => {
        assert.equal(writer.text.toString(), expected);
        assertIdentical([writer.doc, reader.doc]);
      }, { timeoutMs: 30_000, message: 'writer and reader converge on node two' });
      if (signal === 'SIGTERM') assert.ok(writer.closeCodes.includes(CloseCodes.ReconnectElsewhere.code), `close codes ${writer.closeCodes.join(',')}`);

      // Durable: everything acknowledged before the death is in Postgres, and
      // after failover everything converges there too, exactly once.
      await waitFor(async () => {
        const stored = await storedDoc(schema.url, 'failover');
        assert.ok((Y.decodeStateVector(Y.encodeStateVector(stored)).get(writer.doc.clientID) ?? 0) >= ackedAtDeath);
        assert.equal(stored.getText('t').toString(), expected);
      }, { timeoutMs: 30_000, message: 'Postgres holds every edit once' });
    });
  });
}

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { DocumentStore, openDatabase } from '@copycloud/db';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import { createTestSchema, waitFor } from '@copycloud/testing';
import { connectClient, spawnNode, waitSynced } from './helpers.js';

/** Each storage backend a node can run on, as the env that selects it. */
const backends: Array<{ name: string; env: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> }> = [
  {
    name: 'PGlite',
    env: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'copycloud-pglite-'));
      return { env: { DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'Postgres',
    env: async () => {
      const schema = await createTestSchema('sync');
      return { env: { DATABASE_URL: schema.url }, cleanup: () => schema.drop() };
    },
  },
];

for (const backend of backends) {
  describe(`node process on ${backend.name}`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('STORE5 content survives a restart of the node process', async () => {
      const { env, cleanup } = await backend.env();
      cleanups.push(cleanup);
      const first = await spawnNode(env);
      const writer = connectClient(first.syncUrl, 'restart');
      await waitSynced(writer);
      writer.text.insert(0, 'written before the restart');
      await waitFor(() => !writer.provider.hasUnsyncedChanges);
      writer.destroy();
      assert.equal(await first.stop('SIGTERM'), 0);

      const second = await spawnNode(env);
      cleanups.push(() => second.stop());
      const reader = connectClient(second.syncUrl, 'restart');
      await waitSynced(reader);
      assert.equal(reader.text.toString(), 'written before the restart');
      reader.destroy();
    });

    test('STORE6 SIGTERM with edits still queued: every edit is in the database after exit', async () => {
      const { env, cleanup } = await backend.env();
      cleanups.push(cleanup);
      // A long batch window keeps the edits queued in memory when SIGTERM arrives.
      const node = await spawnNode({ ...env, STORE_BATCH_MS: '1000' });
      const writer = connectClient(node.syncUrl, 'sigterm');
      await waitSynced(writer);
      for (let i = 0; i < 100; i++) writer.text.insert(writer.text.length, `${i % 10}`);
      // Received by the node (sync-acked), not yet committed.
      await waitFor(() => !writer.provider.hasUnsyncedChanges);
      const expected = writer.text.toString();
      assert.equal(await node.stop('SIGTERM'), 0);
      writer.destroy();

      const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '' });
      try {
        const stored = await new DocumentStore(db).loadMerged('sigterm');
        const copy = new Y.Doc();
        Y.applyUpdate(copy, stored!);
        assert.equal(copy.getText('t').toString(), expected);
      } finally {
        await db.close();
      }
    });

    test('STORE11 SIGTERM while clients keep typing: exit 0, and every edit the node acknowledged is stored', async () => {
      const { env, cleanup } = await backend.env();
      cleanups.push(cleanup);
      const node = await spawnNode(env);
      const writers = [0, 1, 2].map(() => connectClient(node.syncUrl, 'typing'));
      for (const writer of writers) await waitSynced(writer);
      const acked = writers.map(() => 0);
      writers.forEach((writer, index) =>
        writer.provider.on('stateless', ({ payload }: { payload: string }) => {
          const message = decodeServerStateless(payload);
          if (message?.type === 'saved') acked[index] = Y.decodeStateVector(fromBase64(message.sv)).get(writer.doc.clientID) ?? 0;
        }),
      );
      // Keystrokes keep flowing through the drain: a frame that arrives after
      // the writer closed used to crash the node (unhandled rejection, exit 1).
      let typing = true;
      const typist = (async () => {
        for (let i = 0; typing; i++) {
          const writer = writers[i % writers.length]!;
          writer.text.insert(writer.text.length, String.fromCharCode(97 + (i % 26)));
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exitCode = await node.stop('SIGTERM');
      typing = false;
      await typist;
      assert.equal(exitCode, 0, node.lines.slice(-20).join('\n'));
      assert.ok(acked.some((clock) => clock > 0), 'some edits were acknowledged before the drain');

      const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '' });
      try {
        const stored = new Y.Doc();
        Y.applyUpdate(stored, (await new DocumentStore(db).loadMerged('typing'))!);
        writers.forEach((writer, index) => {
          assert.ok(Y.getState(stored.store, writer.doc.clientID) >= acked[index]!, `writer ${index}: acknowledged up to ${acked[index]}, stored ${Y.getState(stored.store, writer.doc.clientID)}`);
        });
      } finally {
        await db.close();
        for (const writer of writers) writer.destroy();
      }
    });
  });
}

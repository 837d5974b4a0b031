import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { DocumentStore, openDatabase } from '@copycloud/db';
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
  });
}

// /metrics is scraped by every Prometheus replica at its own pace: a scrape
// must cost no database work. The update-log backlog gauge is measured by a
// background loop instead (UPDATE_LOG_ROWS_INTERVAL_MS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '@copycloud/db';
import { migrate, startService, TestRoles } from './helpers.js';

/** The same database, recording every statement it is sent. */
function recording(db: Database, statements: string[]): Database {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'query') return (text: string, params?: readonly unknown[]) => (statements.push(text), target.query(text, params));
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

test('OPS7 a /metrics scrape of the snapshots service sends no query; the backlog gauge is still exported', async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  const statements: string[] = [];
  const { service } = startService(recording(db, statements), { roles: new TestRoles() });
  try {
    const before = statements.length;
    let text = '';
    for (let i = 0; i < 3; i += 1) text = await service.registry.metrics();
    assert.deepEqual(statements.slice(before), [], 'statements sent while scraping');
    assert.match(text, /^copycloud_snapshots_update_log_rows(\{[^}]*\})? 0$/m);
  } finally {
    await service.stop();
    await db.close();
  }
});

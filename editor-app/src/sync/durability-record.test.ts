import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DurabilityRecord, type KeyValueStorage } from './durability-record.js';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

describe('durability record', () => {
  test('remembers local authors and durable clocks across instances (a reload)', () => {
    const storage = memoryStorage();
    const before = new DurabilityRecord(storage, 'doc1');
    assert.equal(before.addLocalAuthor(11), true);
    assert.equal(before.addLocalAuthor(11), false);
    before.recordDurable(new Map([[11, 4]]));

    const after = new DurabilityRecord(storage, 'doc1');
    assert.deepEqual([...after.localAuthors], [11]);
    assert.equal(after.durable.get(11), 4);
  });

  test('is kept per document', () => {
    const storage = memoryStorage();
    new DurabilityRecord(storage, 'a').addLocalAuthor(1);
    assert.equal(new DurabilityRecord(storage, 'b').localAuthors.size, 0);
  });

  test('durable clocks only grow, even when acks arrive out of order', () => {
    const record = new DurabilityRecord(memoryStorage(), 'doc');
    record.recordDurable(new Map([[1, 9]]));
    record.recordDurable(new Map([[1, 5]]));
    assert.equal(record.durable.get(1), 9);
  });

  test('merges what another tab wrote meanwhile instead of overwriting it', () => {
    const storage = memoryStorage();
    const tabA = new DurabilityRecord(storage, 'doc');
    const tabB = new DurabilityRecord(storage, 'doc');
    tabA.addLocalAuthor(1);
    tabB.addLocalAuthor(2);
    assert.deepEqual([...new DurabilityRecord(storage, 'doc').localAuthors].sort(), [1, 2]);
  });

  test('a corrupt or foreign entry reads as empty', () => {
    for (const text of ['{not json', '"x"', '{"authors":[-1,"x",3],"durable":[[1],[2,"x"],[4,5]]}']) {
      const record = new DurabilityRecord(memoryStorage({ 'copycloud:durability:doc': text }), 'doc');
      assert.ok([...record.localAuthors].every((id) => id === 3));
      assert.ok([...record.durable].every(([id, clock]) => id === 4 && clock === 5));
    }
  });
});

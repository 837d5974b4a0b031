import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyValueStorage } from '../sync/durability-record.js';
import { GUEST_COLORS, initialsOf, loadGuestIdentity, randomGuestIdentity } from './guest-identity.js';

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>();
  return { getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe('guest identity', () => {
  test('is a friendly two-word name and a palette colour', () => {
    const identity = randomGuestIdentity(() => 0);
    assert.equal(identity.name, 'Teal Otter');
    assert.equal(identity.color, GUEST_COLORS[0]);
  });

  test('survives a reload of the tab (same session storage)', () => {
    const storage = memoryStorage();
    let calls = 0;
    const first = loadGuestIdentity(storage, (length) => calls++ % length);
    const again = loadGuestIdentity(storage, () => 5);
    assert.deepEqual(again, first);
  });

  test('replaces an unreadable stored identity', () => {
    const storage = memoryStorage();
    storage.setItem('copycloud:guest-identity', '{"name":"","color":"red"}');
    const identity = loadGuestIdentity(storage, () => 1);
    assert.equal(identity.name, 'Amber Falcon');
  });

  test('initials for avatars', () => {
    assert.equal(initialsOf('Teal Otter'), 'TO');
    assert.equal(initialsOf('  jade  '), 'J');
    assert.equal(initialsOf(''), '?');
  });
});

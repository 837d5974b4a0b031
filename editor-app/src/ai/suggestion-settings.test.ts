import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AiUiStore } from './ai-ui-store.js';
import { autoSuggestKey, AutoSuggestSetting, loadAutoSuggest, saveAutoSuggest } from './suggestion-settings.js';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

test('AIUX2 automatic suggestions are on by default, remembered off per user', () => {
  const storage = memoryStorage();
  assert.equal(loadAutoSuggest(storage, 'alice'), true);
  saveAutoSuggest(storage, 'alice', false);
  assert.equal(loadAutoSuggest(storage, 'alice'), false);
  assert.equal(loadAutoSuggest(storage, 'bob'), true, 'another user on the same browser keeps his own');
  assert.equal(loadAutoSuggest(storage, undefined), true);
  saveAutoSuggest(storage, 'alice', true);
  assert.equal(loadAutoSuggest(storage, 'alice'), true);
  assert.notEqual(autoSuggestKey('alice'), autoSuggestKey(undefined));
  assert.equal(loadAutoSuggest(null, 'alice'), true, 'no storage: the default');
});

test('AIUX2 the setting object loads into the AI UI store and writes through', () => {
  const storage = memoryStorage();
  saveAutoSuggest(storage, 'alice', false);
  const ui = new AiUiStore();
  const setting = new AutoSuggestSetting(ui, storage, 'alice');
  setting.load();
  assert.equal(ui.getSnapshot().autoSuggest, false);
  setting.set(true);
  assert.equal(ui.getSnapshot().autoSuggest, true);
  assert.equal(loadAutoSuggest(storage, 'alice'), true);
});

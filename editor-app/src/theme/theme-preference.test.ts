import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseThemeChoice, THEME_STORAGE_KEY, ThemePreference, themeAttributeOf, type ThemeRoot } from './theme-preference.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

function fakeRoot(): ThemeRoot & { attributes: Map<string, string> } {
  const attributes = new Map<string, string>();
  return { attributes, setAttribute: (name, value) => void attributes.set(name, value), removeAttribute: (name) => void attributes.delete(name) };
}

test('UI2 a stored choice is read back; anything else means "follow the system"', () => {
  assert.equal(parseThemeChoice('dark'), 'dark');
  assert.equal(parseThemeChoice('light'), 'light');
  assert.equal(parseThemeChoice('system'), 'system');
  assert.equal(parseThemeChoice('purple'), 'system');
  assert.equal(parseThemeChoice(null), 'system');
  assert.equal(themeAttributeOf('system'), null, 'no attribute: prefers-color-scheme decides');
  assert.equal(themeAttributeOf('dark'), 'dark');
});

test('UI2 the choice is applied on the root at once, remembered, and announced to subscribers', () => {
  const storage = memoryStorage({ [THEME_STORAGE_KEY]: 'dark' });
  const root = fakeRoot();
  const preference = new ThemePreference(storage, root);
  assert.equal(preference.getSnapshot(), 'dark');
  assert.equal(root.attributes.get('data-theme'), 'dark', 'applied before anything renders');

  let calls = 0;
  const unsubscribe = preference.subscribe(() => calls++);
  preference.set('light');
  assert.equal(root.attributes.get('data-theme'), 'light');
  assert.equal(storage.items.get(THEME_STORAGE_KEY), 'light');
  preference.set('light');
  assert.equal(calls, 1, 'the same choice again changes nothing');
  preference.set('system');
  assert.equal(root.attributes.has('data-theme'), false);
  assert.equal(new ThemePreference(storage, fakeRoot()).getSnapshot(), 'system', 'a new page reads it back');
  unsubscribe();
  preference.set('dark');
  assert.equal(calls, 2);
});

test('UI2 storage that throws keeps the choice for the page', () => {
  const throwing = {
    getItem: (): string | null => {
      throw new Error('SecurityError');
    },
    setItem: (): void => {
      throw new Error('QuotaExceededError');
    },
  };
  const warn = console.warn;
  console.warn = () => {};
  try {
    const preference = new ThemePreference(throwing, fakeRoot());
    assert.equal(preference.getSnapshot(), 'system');
    preference.set('dark');
    assert.equal(preference.getSnapshot(), 'dark');
  } finally {
    console.warn = warn;
  }
});

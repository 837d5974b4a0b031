import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSummary } from '@copycloud/protocol';
import { DocumentSummaryCache } from './document-cache.js';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

const summary: DocumentSummary = {
  id: 'doc1',
  title: 'Launch copy',
  titleSource: 'manual',
  role: 'editor',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

test('EDIT4 the cached summary survives a reload (same storage), is replaced by the next answer and forgotten on no-access', () => {
  const storage = memoryStorage();
  new DocumentSummaryCache(storage).set(summary);
  const reloaded = new DocumentSummaryCache(storage);
  assert.deepEqual(reloaded.get('doc1'), summary);
  reloaded.set({ ...summary, title: 'Renamed', role: 'viewer' });
  assert.equal(reloaded.get('doc1')?.title, 'Renamed');
  reloaded.forget('doc1');
  assert.equal(reloaded.get('doc1'), null);
  storage.setItem('copycloud:document:doc2', '{"id":"doc2","title":1}');
  assert.equal(reloaded.get('doc2'), null);
  storage.setItem('copycloud:document:doc3', 'not json');
  assert.equal(reloaded.get('doc3'), null);
});

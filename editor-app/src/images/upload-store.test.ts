import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UploadStore } from './upload-store.js';

test('EDITOR4 the upload strip: progress while uploading, gone when done, failures stay until dismissed', () => {
  const store = new UploadStore();
  let notified = 0;
  store.subscribe(() => notified++);
  const a = store.start('a.png');
  const b = store.start('b.png');
  store.progress(a, 40);
  assert.deepEqual(
    store.getSnapshot().map((entry) => [entry.fileName, entry.state, entry.percent]),
    [
      ['a.png', 'uploading', 40],
      ['b.png', 'uploading', 0],
    ],
  );
  const before = store.getSnapshot();
  store.progress(a, 40);
  assert.equal(store.getSnapshot(), before, 'the same percentage is no change (no re-render)');
  store.done(a);
  store.fail(b, 'b.png', 'too large');
  store.fail(null, 'c.svg', 'SVG refused');
  assert.deepEqual(
    store.getSnapshot().map((entry) => [entry.fileName, entry.state, entry.error]),
    [
      ['b.png', 'failed', 'too large'],
      ['c.svg', 'failed', 'SVG refused'],
    ],
  );
  for (const entry of store.getSnapshot()) store.dismiss(entry.id);
  assert.deepEqual(store.getSnapshot(), []);
  assert.equal(notified, 8);
});

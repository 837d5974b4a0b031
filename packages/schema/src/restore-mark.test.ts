import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { lastRestore, onRestore } from './restore-mark.js';
import { replaceContent, updateToContent, yDocToJSON } from './yjs-content.js';
import type { JSONContent } from '@tiptap/core';

const doc1: JSONContent = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] };
const doc2: JSONContent = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] };

test('RESTORE2 a restore update carries the restore mark in the same update; a plain content change does not', () => {
  const server = new Y.Doc();
  replaceContent(server, doc1, null);
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const heard: string[] = [];
  onRestore(replica, (mark) => heard.push(mark.versionId));

  Y.applyUpdate(replica, updateToContent(Y.encodeStateAsUpdate(replica), doc2));
  assert.deepEqual(heard, []);
  assert.equal(lastRestore(replica), null);

  const mark = { versionId: 'v1', at: '2024-01-01T00:00:00.000Z' };
  Y.applyUpdate(replica, updateToContent(Y.encodeStateAsUpdate(replica), doc1, 'restore', mark));
  assert.deepEqual(heard, ['v1']);
  assert.deepEqual(lastRestore(replica), mark);
  // The mark is not content.
  assert.deepEqual(yDocToJSON(replica), doc1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { ClusterMessageKind, decodeClusterMessage, encodeClusterMessage } from './wire.js';

test('CLUSTER8 a Durable notice carries the sender\'s durable state vector; one without it still decodes', () => {
  const stateVector = Y.encodeStateVector(new Map([[7, 42]]));
  const withVector = decodeClusterMessage(encodeClusterMessage({ kind: ClusterMessageKind.Durable, sender: 'a', target: '', seq: 3, stateVector }));
  assert.deepEqual(withVector, { kind: ClusterMessageKind.Durable, sender: 'a', target: '', seq: 3, stateVector });
  const bare = decodeClusterMessage(encodeClusterMessage({ kind: ClusterMessageKind.Durable, sender: 'a', target: '', seq: 3 }));
  assert.deepEqual(bare, { kind: ClusterMessageKind.Durable, sender: 'a', target: '', seq: 3 });
});

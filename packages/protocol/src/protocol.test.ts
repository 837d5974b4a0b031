import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertDocumentId, isValidDocumentId, newDocumentId, decodeClientStateless, decodeServerStateless, encodeStateless, toBase64, fromBase64 } from './index.js';

test('document ids: accepts url-safe ids, refuses empty, long and path-like ones', () => {
  assert.ok(isValidDocumentId('abc-DEF_123'));
  assert.ok(isValidDocumentId(newDocumentId()));
  for (const bad of ['', '../etc', 'a/b', 'a.b', 'x'.repeat(65), 'x'.repeat(10_000), 'ü', ' a']) {
    assert.equal(isValidDocumentId(bad), false, bad.slice(0, 20));
  }
  assert.throws(() => assertDocumentId('../x'), /invalid document id "..\/x"/);
});

test('stateless messages round-trip and unknown payloads are ignored', () => {
  const sv = toBase64(new Uint8Array([1, 2, 250]));
  assert.deepEqual(fromBase64(sv), new Uint8Array([1, 2, 250]));
  const msg = decodeServerStateless(encodeStateless({ type: 'saved', v: 1, sv }));
  assert.deepEqual(msg, { type: 'saved', v: 1, sv });
  assert.equal(decodeServerStateless('not json'), null);
  assert.equal(decodeServerStateless('{"type":"other"}'), null);
  assert.equal(decodeServerStateless('{"type":"saved"}'), null);
});

test('stateless: role changes, renames, deletions and pongs decode; malformed ones are ignored', () => {
  assert.deepEqual(decodeServerStateless(encodeStateless({ type: 'role-changed', v: 1, role: 'viewer' })), { type: 'role-changed', v: 1, role: 'viewer' });
  assert.equal(decodeServerStateless('{"type":"role-changed","v":1,"role":"admin"}'), null);
  assert.deepEqual(decodeServerStateless(encodeStateless({ type: 'document-renamed', v: 1, title: 'Q3 plan' })), { type: 'document-renamed', v: 1, title: 'Q3 plan' });
  assert.equal(decodeServerStateless('{"type":"document-renamed","v":1}'), null);
  assert.deepEqual(decodeServerStateless(encodeStateless({ type: 'document-deleted', v: 1 })), { type: 'document-deleted', v: 1 });
  assert.deepEqual(decodeServerStateless(encodeStateless({ type: 'pong', v: 1, seq: 7 })), { type: 'pong', v: 1, seq: 7 });
  assert.equal(decodeServerStateless('{"type":"pong","v":1,"seq":-1}'), null);
});

test('stateless: a client ping decodes; anything else from a client is ignored', () => {
  assert.deepEqual(decodeClientStateless(encodeStateless({ type: 'ping', v: 1, seq: 3 })), { type: 'ping', v: 1, seq: 3 });
  assert.equal(decodeClientStateless('{"type":"ping","seq":"3"}'), null);
  assert.equal(decodeClientStateless('{"type":"saved","sv":""}'), null);
  assert.equal(decodeClientStateless('nope'), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertDocumentId, isValidDocumentId, newDocumentId, decodeServerStateless, encodeStateless, toBase64, fromBase64 } from './index.js';

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

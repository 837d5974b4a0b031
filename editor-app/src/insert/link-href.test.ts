import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLinkInput } from './link-href.js';

test('EDITOR2 the link dialog: empty removes, a bare address gets https://, an e-mail becomes mailto:', () => {
  assert.deepEqual(parseLinkInput('  '), { kind: 'remove' });
  assert.deepEqual(parseLinkInput('example.com/pricing'), { kind: 'set', href: 'https://example.com/pricing' });
  assert.deepEqual(parseLinkInput('http://example.com'), { kind: 'set', href: 'http://example.com' });
  assert.deepEqual(parseLinkInput('ana@example.com'), { kind: 'set', href: 'mailto:ana@example.com' });
  assert.deepEqual(parseLinkInput('tel:+4930123'), { kind: 'set', href: 'tel:+4930123' });
});

test('EDITOR2 the link dialog refuses scripts, data and words that are not addresses', () => {
  assert.equal(parseLinkInput('javascript:alert(1)').kind, 'invalid');
  assert.equal(parseLinkInput('data:text/html,x').kind, 'invalid');
  assert.equal(parseLinkInput('hello world').kind, 'invalid');
  assert.equal(parseLinkInput('hello').kind, 'invalid');
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newDocumentId } from '@copycloud/protocol';
import { documentPath, parseRoute } from './route.js';

describe('routes', () => {
  test('/ is home', () => {
    assert.deepEqual(parseRoute('/'), { name: 'home' });
  });

  test('/d/:id opens a document, with or without a trailing slash', () => {
    assert.deepEqual(parseRoute('/d/abc_DEF-1'), { name: 'document', documentId: 'abc_DEF-1' });
    assert.deepEqual(parseRoute('/d/abc/'), { name: 'document', documentId: 'abc' });
  });

  test('documentPath round-trips a fresh id', () => {
    const id = newDocumentId();
    assert.deepEqual(parseRoute(documentPath(id)), { name: 'document', documentId: id });
  });

  test('ids that the sync node would reject are not found', () => {
    for (const path of ['/d/', '/d/a.b', '/d/%2e%2e', '/d/%E0%A4%A', `/d/${'x'.repeat(65)}`, '/d/a/b', '/elsewhere']) {
      assert.equal(parseRoute(path).name, 'not-found', path);
    }
  });

  test('/invite/:token is an invite; anything that cannot be a share token is not found', () => {
    const token = 'AbC_-0123456789abcdefghijklmnopq';
    assert.deepEqual(parseRoute(`/invite/${token}`), { name: 'invite', token });
    assert.deepEqual(parseRoute(`/invite/${token}/`), { name: 'invite', token });
    for (const path of ['/invite/', '/invite/short', `/invite/${token}.x`, `/invite/${'x'.repeat(101)}`, `/invite/${token}/more`]) {
      assert.equal(parseRoute(path).name, 'not-found', path);
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editorAppRoutes } from './static-app.js';

function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'copycloud-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  return dir;
}

test('client routes get index.html, assets are cached immutably, service paths are not swallowed', async () => {
  const app = editorAppRoutes(builtApp());
  for (const path of ['/', '/d/some-doc']) {
    const res = await app.request(path);
    assert.equal(res.status, 200, path);
    assert.match(await res.text(), /<title>app<\/title>/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
  }
  const asset = await app.request('/assets/main-abc123.js');
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  for (const path of ['/api/nothing', '/sync', '/healthz', '/yjs/doc']) {
    assert.equal((await app.request(path)).status, 404, path);
  }
  assert.equal((await app.request('/assets/missing.js')).status, 404);
});

test('an unbuilt app answers 503 with what to do', async () => {
  const app = editorAppRoutes(mkdtempSync(join(tmpdir(), 'copycloud-empty-')));
  const res = await app.request('/d/x');
  assert.equal(res.status, 503);
  assert.match(await res.text(), /npm run build/);
});

// AUTH_DISABLED=true is how `npm start` is tried and how most e2e suites run:
// the sync node lets anyone with a document's link edit it, so the images of
// that document must load for them too. The real launcher (PGlite, its own
// auth service issuing guest tokens) is started with that flag.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UploadedFile } from '@copycloud/protocol';
import { spawnService, type SpawnedService } from '@copycloud/testing';
import { png } from './images.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('files under AUTH_DISABLED=true (the launcher, as npm start runs it)', () => {
  let launcher: SpawnedService;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'copycloud-files-open-'));
    launcher = await spawnService({
      name: 'launcher',
      main: join(REPO_ROOT, 'launcher/src/main.ts'),
      cwd: REPO_ROOT,
      // No DATABASE_URL, no S3: PGlite and files on disk under DATA_DIR, as `npm start`.
      env: { AUTH_DISABLED: 'true', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', S3_ENDPOINT: '', S3_BUCKET: '', S3_ACCESS_KEY_ID: '', S3_SECRET_ACCESS_KEY: '' },
    });
  });
  after(async () => {
    await launcher?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function guest(): Promise<string> {
    const res = await fetch(`${launcher.httpUrl}/api/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { accessToken: string }).accessToken;
  }
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  test('FILES12 an image one browser uploaded is read by a second browser that opened the document by its link (not a member); it may add images too; an unknown document stays 404', async () => {
    const [alice, bob] = await Promise.all([guest(), guest()]);
    const created = await fetch(`${launcher.httpUrl}/api/docs`, { method: 'POST', headers: { ...auth(alice), 'content-type': 'application/json' }, body: '{}' });
    assert.equal(created.status, 201);
    const documentId = ((await created.json()) as { document: { id: string } }).document.id;

    const image = png(12, 8);
    const uploaded = await fetch(`${launcher.httpUrl}/api/docs/${documentId}/files`, { method: 'POST', headers: auth(alice), body: image });
    assert.equal(uploaded.status, 201, await uploaded.clone().text());
    const { file } = (await uploaded.json()) as { file: UploadedFile };

    // Bob is not a member: with auth on he would get 404 (FILES7); here the node lets him edit.
    const read = await fetch(`${launcher.httpUrl}${file.url}`, { headers: auth(bob) });
    assert.equal(read.status, 200, await read.clone().text());
    assert.deepEqual(Buffer.from(await read.arrayBuffer()), image);

    const his = await fetch(`${launcher.httpUrl}/api/docs/${documentId}/files`, { method: 'POST', headers: auth(bob), body: png(3, 3) });
    assert.equal(his.status, 201, 'an editor on the node may add images');

    // Still signed in, still bounded: no token is 401, an unknown document 404.
    assert.equal((await fetch(`${launcher.httpUrl}${file.url}`)).status, 401);
    const unknown = await fetch(`${launcher.httpUrl}/api/docs/no-such-document/files/${file.id}`, { headers: auth(bob) });
    assert.equal(unknown.status, 404);
  });
});

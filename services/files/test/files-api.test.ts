import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appFileUrl, type UploadedFile } from '@copycloud/protocol';
import { S3FileStorage } from '../src/index.js';
import { GIF_1X1, JPEG_1X1, SVG, WEBP_1X1, png } from './images.js';
import { TestRoles, bearer, filesApp, startS3Server, storageImplementations, type RunningS3 } from './helpers.js';

const LIMIT = 64 * 1024;
let s3: RunningS3;
before(async () => {
  s3 = await startS3Server();
});
after(async () => {
  await s3?.stop();
});

const upload = (body: BodyInit, headers: Record<string, string> = {}, documentId = 'doc-1') =>
  new Request(`http://files.test/api/docs/${documentId}/files`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream', ...headers }, duplex: 'half' } as RequestInit);

for (const implementation of storageImplementations(() => s3)) {
  describe(`files API on ${implementation.name} storage`, () => {
    let opened: Awaited<ReturnType<typeof implementation.open>>;
    const roles = new TestRoles();
    roles.grant('doc-1', 'owner', 'owner');
    roles.grant('doc-1', 'editor', 'editor');
    roles.grant('doc-1', 'viewer', 'viewer');
    roles.grant('doc-2', 'owner', 'owner');
    before(async () => {
      opened = await implementation.open();
    });
    after(async () => {
      await opened.cleanup();
    });

    test(`FILES6 [${implementation.name}] an editor uploads PNG, JPEG, GIF and WebP; a viewer reads the same bytes back by the URL the document holds`, async () => {
      const app = filesApp(opened.storage, roles, LIMIT);
      for (const [bytes, contentType] of [[png(40, 20), 'image/png'], [JPEG_1X1, 'image/jpeg'], [GIF_1X1, 'image/gif'], [WEBP_1X1, 'image/webp']] as const) {
        // The declared type is ignored: the bytes decide.
        const res = await app.request(upload(bytes, { ...bearer('editor'), 'content-type': 'image/png' }));
        assert.equal(res.status, 201, await res.clone().text());
        const { file } = (await res.json()) as { file: UploadedFile };
        assert.equal(file.contentType, contentType);
        assert.equal(file.url, appFileUrl('doc-1', file.id));
        assert.equal(res.headers.get('location'), file.url);
        assert.equal(file.bytes, bytes.byteLength);
        const read = await app.request(file.url, { headers: bearer('viewer') });
        assert.equal(read.status, 200);
        assert.equal(read.headers.get('content-type'), contentType);
        assert.equal(read.headers.get('x-content-type-options'), 'nosniff');
        assert.match(read.headers.get('cache-control') ?? '', /private, no-cache/);
        assert.deepEqual(Buffer.from(await read.arrayBuffer()), Buffer.from(bytes));
        // Revalidation re-checks the role and sends no bytes.
        const again = await app.request(file.url, { headers: { ...bearer('viewer'), 'if-none-match': read.headers.get('etag')! } });
        assert.equal(again.status, 304);
      }
      const first = (await (await app.request(upload(png(40, 20), bearer('owner')))).json()) as { file: UploadedFile };
      assert.deepEqual([first.file.width, first.file.height], [40, 20]);
    });

    test(`FILES7 [${implementation.name}] roles: a viewer cannot upload (403), a stranger sees 404, no token 401; a revoked member loses the image at once`, async () => {
      const app = filesApp(opened.storage, roles, LIMIT);
      const before = await opened.keys();
      assert.equal((await app.request(upload(png(2, 2), bearer('viewer')))).status, 403);
      assert.equal((await app.request(upload(png(2, 2), bearer('stranger')))).status, 404);
      assert.equal((await app.request(upload(png(2, 2)))).status, 401);
      assert.deepEqual(await opened.keys(), before, 'refused uploads store nothing');

      const { file } = (await (await app.request(upload(png(2, 2), bearer('owner')))).json()) as { file: UploadedFile };
      roles.grant('doc-1', 'leaver', 'viewer');
      assert.equal((await app.request(file.url, { headers: bearer('leaver') })).status, 200);
      roles.grant('doc-1', 'leaver', null);
      assert.equal((await app.request(file.url, { headers: bearer('leaver') })).status, 404);
      assert.equal((await app.request(file.url, { headers: { ...bearer('leaver'), 'if-none-match': `"${file.id}"` } })).status, 404, 'a cached copy does not get a 304');
      assert.equal((await app.request(file.url, { headers: bearer('stranger') })).status, 404);
      assert.equal((await app.request(file.url)).status, 401);
      // Another document's owner cannot read it through their own document.
      assert.equal((await app.request(appFileUrl('doc-2', file.id), { headers: bearer('owner') })).status, 404);
      for (const bad of ['nope', '..%2F..%2Fetc%2Fpasswd', `${file.id.slice(0, -4)}.svg`]) {
        const res = await app.request(`/api/docs/doc-1/files/${bad}`, { headers: bearer('viewer') });
        assert.equal(res.status, 404, bad);
        assert.equal(((await res.json()) as { error: string }).error, 'file_not_found');
      }
    });

    test(`FILES8 [${implementation.name}] bad input is a clear 4xx and stores nothing: too large (declared or streamed), SVG, not an image, multipart, empty`, async () => {
      const app = filesApp(opened.storage, roles, LIMIT);
      const before = await opened.keys();
      const expect = async (request: Request, status: number, code: string, message: RegExp) => {
        const res = await app.request(request);
        assert.equal(res.status, status, `${code}: ${await res.clone().text()}`);
        const body = (await res.json()) as { error: string; message: string };
        assert.equal(body.error, code);
        assert.match(body.message, message);
      };
      const big = png(200, 200, [1, 2, 3]);
      const large = Buffer.concat([big, Buffer.alloc(LIMIT)]);
      await expect(upload(large, bearer('editor')), 413, 'payload_too_large', /limit of 65536 bytes/);
      // A chunked body with no Content-Length is cut off once it passes the limit.
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new Uint8Array(16 * 1024));
        },
      });
      await expect(upload(stream, bearer('editor')), 413, 'payload_too_large', /over the limit/);
      await expect(upload(SVG, { ...bearer('editor'), 'content-type': 'image/svg+xml' }), 415, 'unsupported_media_type', /SVG is not accepted/);
      await expect(upload(Buffer.from('%PDF-1.7 not an image'), bearer('editor')), 415, 'unsupported_media_type', /not a PNG, JPEG, GIF or WebP/);
      await expect(upload(png(2, 2), { ...bearer('editor'), 'content-type': 'multipart/form-data; boundary=x' }), 415, 'unsupported_media_type', /not a multipart form/);
      await expect(upload(new Uint8Array(), bearer('editor')), 400, 'invalid_request', /empty/);
      await expect(upload(png(2, 2), bearer('editor'), 'bad.id'), 404, 'document_not_found', /not found/);
      assert.deepEqual(await opened.keys(), before);
    });
  });
}

test('FILES9 a store that fails mid-upload answers 503 storage_unavailable and nothing is readable under the new id', async () => {
  const storage = new S3FileStorage({ ...s3.config('unreachable'), endpoint: 'http://127.0.0.1:9' });
  try {
    const roles = new TestRoles();
    roles.grant('doc-1', 'editor', 'editor');
    const app = filesApp(storage, roles, LIMIT);
    const res = await app.request(upload(png(2, 2), bearer('editor')));
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: string }).error, 'storage_unavailable');
    const ready = await app.request('/readyz');
    assert.equal(ready.status, 503);
  } finally {
    await storage.close();
  }
});

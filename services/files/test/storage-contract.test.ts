import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3FileStorage, fileKey } from '../src/index.js';
import { png } from './images.js';
import { startS3Server, storageImplementations, type RunningS3 } from './helpers.js';

let s3: RunningS3;
before(async () => {
  s3 = await startS3Server();
});
after(async () => {
  await s3?.stop();
});

for (const implementation of storageImplementations(() => s3)) {
  describe(`file storage contract: ${implementation.name}`, () => {
    test(`FILES4 [${implementation.name}] put then get returns the same bytes; an unknown key is null; keys of two documents never mix`, async () => {
      const { storage, keys, cleanup } = await implementation.open();
      try {
        const bytes = png(3, 2);
        await storage.put(fileKey('doc-a', 'f1.png'), bytes, 'image/png');
        assert.deepEqual(Buffer.from((await storage.get(fileKey('doc-a', 'f1.png')))!), Buffer.from(bytes));
        assert.equal(await storage.get(fileKey('doc-b', 'f1.png')), null);
        assert.equal(await storage.get(fileKey('doc-a', 'missing.png')), null);
        assert.deepEqual(await keys(), ['docs/doc-a/f1.png']);
        await storage.check();
      } finally {
        await cleanup();
      }
    });

    test(`FILES13 [${implementation.name}] list yields every stored file under docs/ with its write time, nothing half-written; delete removes one, and deleting it again is no error`, async () => {
      const { storage, cleanup } = await implementation.open();
      try {
        const before = Date.now() - 60_000;
        await storage.put(fileKey('doc-a', 'f1.png'), png(2, 2), 'image/png');
        await storage.put(fileKey('doc-b', 'f2.png'), png(2, 3), 'image/png');
        const listed = [];
        for await (const object of storage.list()) listed.push(object);
        assert.deepEqual(listed.map((o) => o.key).sort(), ['docs/doc-a/f1.png', 'docs/doc-b/f2.png']);
        for (const object of listed) {
          assert.ok(object.lastModified.getTime() >= before && object.lastModified.getTime() <= Date.now() + 60_000, `${object.key}: ${object.lastModified.toISOString()}`);
        }
        await storage.delete(fileKey('doc-a', 'f1.png'));
        await storage.delete(fileKey('doc-a', 'f1.png'));
        assert.equal(await storage.get(fileKey('doc-a', 'f1.png')), null);
        const left = [];
        for await (const object of storage.list()) left.push(object.key);
        assert.deepEqual(left, ['docs/doc-b/f2.png']);
      } finally {
        await cleanup();
      }
    });
  });
}

test('FILES5 the S3 store creates a missing bucket once, and an unreachable store fails its readiness check', async () => {
  const storage = new S3FileStorage(s3.config(`files-bucket-${process.pid}`));
  try {
    await assert.rejects(storage.check());
    await storage.ensureBucket();
    await storage.ensureBucket();
    await storage.check();
  } finally {
    await storage.close();
  }
  const down = new S3FileStorage({ ...s3.config('nowhere'), endpoint: 'http://127.0.0.1:9' });
  try {
    await assert.rejects(down.check());
  } finally {
    await down.close();
  }
});

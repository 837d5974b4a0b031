import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkImageFile, progressPercent, uploadedFileOf, uploadFailure } from './upload-rules.js';

test('EDITOR4 images are checked before upload: type (SVG refused), empty, size', () => {
  assert.equal(checkImageFile({ name: 'a.png', type: 'image/png', size: 10 }), null);
  assert.equal(checkImageFile({ name: 'a.svg', type: 'image/svg+xml', size: 10 })?.code, 'unsupported_media_type');
  assert.match(checkImageFile({ name: 'a.pdf', type: 'application/pdf', size: 10 })?.message ?? '', /a\.pdf is not an image.*PNG, JPEG, GIF or WebP/);
  assert.equal(checkImageFile({ name: 'a.png', type: 'image/png', size: 0 })?.code, 'invalid_request');
  const big = checkImageFile({ name: 'big.jpg', type: 'image/jpeg', size: 12 * 1024 * 1024 });
  assert.equal(big?.code, 'payload_too_large');
  assert.match(big?.message ?? '', /big\.jpg is 12\.0 MB; images can be at most 10\.0 MB/);
});

test('EDITOR4 a failed upload is described by its status, with the server message when there is one', () => {
  assert.equal(uploadFailure('a.png', 413, { error: 'payload_too_large', message: 'over 10485760 bytes' }).message, 'a.png is too large to upload (over 10485760 bytes).');
  assert.equal(uploadFailure('a.png', 413, { error: 'payload_too_large', message: 'x' }).code, 'payload_too_large');
  assert.match(uploadFailure('a.png', 415, { error: 'unsupported_media_type', message: 'an SVG' }).message, /not an image.*\(an SVG\)/);
  assert.match(uploadFailure('a.png', 403, {}).message, /only editors/);
  assert.match(uploadFailure('a.png', 503, { error: 'storage_unavailable' }).message, /storage is unavailable/);
  assert.equal(uploadFailure('a.png', 0, null).code, 'network');
  assert.equal(uploadFailure('a.png', 500, 'nonsense').code, 'http_500');
});

test('EDITOR4 a 201 answer must carry an app file URL', () => {
  const file = { id: 'f.png', url: '/api/docs/d/files/f.png', contentType: 'image/png', bytes: 1, width: 1, height: 1 };
  assert.deepEqual(uploadedFileOf({ file }), file);
  assert.throws(() => uploadedFileOf({ file: { ...file, url: 'data:image/png;base64,AA' } }), /without a file URL/);
  assert.throws(() => uploadedFileOf(null), /without a file URL/);
});

test('EDITOR4 progress is a whole percentage, 0 while the size is unknown', () => {
  assert.equal(progressPercent(0, 0), 0);
  assert.equal(progressPercent(50, 200), 25);
  assert.equal(progressPercent(999, 1000), 99);
  assert.equal(progressPercent(300, 200), 100);
});

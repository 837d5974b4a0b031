import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GIF_1X1, JPEG_1X1, SVG, WEBP_1X1, png } from '../test/images.js';
import { MAX_IMAGE_DIMENSION_PX, contentTypeOfFileId, sniffImage } from './image-type.js';

test('FILES2 PNG, JPEG, GIF and WebP are recognised by their first bytes, with their dimensions', () => {
  const cases: Array<[Uint8Array, string, number, number]> = [
    [png(40, 20), 'image/png', 40, 20],
    [JPEG_1X1, 'image/jpeg', 1, 1],
    [GIF_1X1, 'image/gif', 1, 1],
    [WEBP_1X1, 'image/webp', 1, 1],
  ];
  for (const [bytes, contentType, width, height] of cases) {
    const result = sniffImage(bytes);
    assert.ok(result.ok, contentType);
    assert.deepEqual([result.image.contentType, result.image.width, result.image.height], [contentType, width, height]);
    assert.equal(contentTypeOfFileId(`x.${result.image.extension}`), contentType);
  }
});

test('FILES3 SVG is refused with its own reason; other bytes, truncated headers and absurd dimensions are refused', () => {
  const svg = sniffImage(SVG);
  assert.equal(svg.ok, false);
  assert.ok(!svg.ok && svg.svg && /SVG/.test(svg.reason));
  assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')).ok, false);
  const text = sniffImage(Buffer.from('just text, named photo.png'));
  assert.ok(!text.ok && !text.svg && /not a PNG, JPEG, GIF or WebP/.test(text.reason));
  assert.equal(sniffImage(png(4, 4).subarray(0, 12)).ok, false, 'a PNG signature without its header');
  const huge = sniffImage(png(MAX_IMAGE_DIMENSION_PX + 1, 1));
  assert.ok(!huge.ok && /dimensions/.test(huge.reason));
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { ImagePage, ONE_PIXEL_PNG_BASE64 } from './fixtures/image-page.js';
import { shareWith } from './fixtures/share-page.js';

describe('images in the browser', () => {
  // Real auth: reading an image checks the reader's role on the document, so Bob joins by an invite link.
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { images: ImagePage }> {
    const created = await suite.actor(name);
    return Object.assign(created, { images: new ImagePage(name, created.editor.page) });
  }

  test('EDITOR4 EDITOR5 an image pasted by Alice is uploaded, holds an app file URL and loads for Bob through the authenticated proxy; alt text edited by Alice reaches Bob; an SVG is refused with a message', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    const documentId = await alice.editor.createDocument(suite.server.url);
    await shareWith(alice, bob, 'editor');
    assert.equal(bob.editor.documentId(), documentId);

    await alice.editor.typeText('Our logo:');
    await alice.images.pasteFile('logo.png', 'image/png', ONE_PIXEL_PNG_BASE64);
    const [mine] = await alice.images.waitForLoadedImages(1);
    assert.match(mine?.src ?? '', new RegExp(`^/api/docs/${documentId}/files/[0-9a-f-]{36}\\.png$`), 'the document holds the app file URL, not data:');
    assert.match(mine?.imgSrc ?? '', /^blob:/, 'shown through a blob: URL fetched with the token');

    const [seen] = await bob.images.waitForLoadedImages(1);
    assert.equal(seen?.src, mine?.src);
    assert.ok((seen?.naturalWidth ?? 0) > 0, 'the image loaded for Bob');

    await alice.images.setAlt(0, 'Copycloud logo');
    await bob.images.waitForAlt(0, 'Copycloud logo');
    await alice.editor.screenshot('artifacts/image-pasted.png');

    await alice.images.pasteFile('evil.svg', 'image/svg+xml', btoa('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    assert.match(await alice.images.waitForUploadError(), /SVG images are not accepted/);
    assert.equal((await alice.images.images()).length, 1);
  });
});

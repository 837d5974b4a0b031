import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserSuite } from './fixtures/browser-suite.js';

/** One tag per service and the shared routes: each names a group in the reference's sidebar. */
const TAGS = ['auth', 'documents', 'sharing', 'versions', 'files', 'comments', 'suggestions', 'notifications', 'ai', 'ops', 'meta'];

describe('API reference', () => {
  const suite = useBrowserSuite();
  const { skip } = suite;

  test('API1 /api/reference renders every service’s routes with Scalar, from this server only (no CDN, nothing blocked by its CSP)', { skip }, async () => {
    const reader = await suite.actor('reader');
    const page = reader.editor.page;
    const origin = new URL(suite.server.url).origin;
    const elsewhere: string[] = [];
    const refused: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });

    await page.goto(`${origin}/api/reference`);
    await page.getByRole('heading', { name: 'Copycloud HTTP API' }).waitFor();
    const sidebar = await page.locator('nav, aside, .sidebar').first().innerText();
    for (const tag of TAGS) assert.match(sidebar, new RegExp(`(^|\\n)${tag}(\\n|$)`, 'i'), `tag ${tag} missing from the sidebar`);
    // An operation of each service, from the route definitions the services register.
    await page.getByText('Sign in with email and password').first().waitFor();

    assert.deepEqual(elsewhere, [], 'the page loads nothing from another host');
    assert.deepEqual(refused, [], 'its Content-Security-Policy refuses nothing the page needs');
  });
});

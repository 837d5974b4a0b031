import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { useBrowserSuite } from './fixtures/browser-suite.js';
import { InsertPage } from './fixtures/insert-page.js';

describe('inserting blocks in the browser', () => {
  const suite = useBrowserSuite();
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { insert: InsertPage }> {
    const created = await suite.actor(name);
    return Object.assign(created, { insert: new InsertPage(name, created.editor.page) });
  }

  test('EDITOR1 the slash menu inserts a heading and a table by keyboard (↓ Enter), Esc closes it', { skip }, async () => {
    const alice = await actor('alice');
    await alice.editor.createDocument(suite.server.url);

    await alice.insert.newParagraphAtEnd();
    await alice.insert.openSlashMenu('', 'heading-1');
    await alice.editor.screenshot('artifacts/slash-menu.png');
    await alice.editor.page.keyboard.press('ArrowDown');
    await alice.insert.waitForHighlighted('heading-2');
    await alice.editor.page.keyboard.press('Enter');
    await alice.insert.waitForSlashMenuClosed();
    await alice.editor.page.keyboard.type('Pricing');
    assert.deepEqual(await alice.insert.headings(2), ['Pricing']);
    assert.equal(await alice.editor.text(), 'Pricing', 'the "/" is gone');

    await alice.editor.page.keyboard.press('Enter');
    await alice.insert.openSlashMenu('tab', 'table');
    await alice.editor.page.keyboard.press('Enter');
    await alice.insert.waitForTableShape({ rows: 3, cols: 3, headerCells: 3 });
    // The cursor is in the first header cell: typing goes there.
    await alice.editor.page.keyboard.type('Plan');
    assert.equal(await alice.editor.page.locator('[data-testid="editor"] th').first().textContent(), 'Plan');

    // Esc closes the menu and leaves the "/" as text; "/" inside a sentence opens nothing.
    await alice.editor.typeText('');
    await alice.insert.newParagraphAtEnd();
    await alice.insert.openSlashMenu('', 'heading-1');
    await alice.editor.page.keyboard.press('Escape');
    await alice.insert.waitForSlashMenuClosed();
    await alice.editor.page.keyboard.type('x and/or');
    assert.equal(await alice.insert.slashMenuOpen(), false);
    assert.match(await alice.editor.text(), /\/x and\/or$/);
  });
});

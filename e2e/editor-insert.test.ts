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

  test('EDITOR2 the toolbar has a named icon for every mark and block; Ctrl+K links the selection through the dialog; an empty document shows a placeholder', { skip }, async () => {
    const alice = await actor('alice');
    await alice.editor.createDocument(suite.server.url);
    assert.match(await alice.insert.placeholder(), /type "\/"/);

    const names = await alice.insert.iconOnlyToolbarButtons();
    for (const name of ['Bold', 'Italic', 'Underline', 'Strikethrough', 'Inline code', 'Link', 'Heading 1', 'Heading 2', 'Heading 3', 'Bullet list', 'Numbered list', 'Task list', 'Quote', 'Code block', 'Divider', 'Table']) {
      assert.ok(
        names.some((label) => label === name || label.startsWith(`${name} (`)),
        `an icon button named ${name} (saw ${names.join(', ')})`,
      );
    }

    await alice.editor.typeText('See pricing');
    await alice.editor.page.keyboard.press('Shift+ControlOrMeta+ArrowLeft');
    await alice.insert.linkSelection('example.com/pricing');
    assert.deepEqual(await alice.insert.links(), [{ href: 'https://example.com/pricing', text: 'pricing' }]);
    assert.equal(alice.dialogs.length, 0, 'no browser prompt');
  });

  test('EDITOR3 a row and a column added with the table controls, and the header row switched off, reach the other person live', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    const documentId = await alice.editor.createDocument(suite.server.url);
    await bob.editor.openDocument(suite.server.url, documentId);

    await alice.insert.newParagraphAtEnd();
    await alice.insert.press('insert-table');
    await bob.insert.waitForTableShape({ rows: 3, cols: 3, headerCells: 3 });

    await alice.insert.clickCell(1, 0);
    await alice.editor.page.getByTestId('table-controls').waitFor();
    await alice.insert.press('table-add-row-after');
    await bob.insert.waitForTableShape({ rows: 4, cols: 3, headerCells: 3 });
    await alice.insert.press('table-add-column-after');
    await bob.insert.waitForTableShape({ rows: 4, cols: 4, headerCells: 4 });
    await alice.editor.screenshot('artifacts/table-controls.png');
    await alice.insert.press('table-delete-row');
    await bob.insert.waitForTableShape({ rows: 3, cols: 4, headerCells: 4 });
    await alice.insert.press('table-toggle-header-row');
    await bob.insert.waitForTableShape({ rows: 3, cols: 4, headerCells: 0 });
    await bob.editor.screenshot('artifacts/table-seen-by-bob.png');
  });
});

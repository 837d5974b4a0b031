import { describe, test } from 'node:test';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { HistoryPage } from './fixtures/history-page.js';
import { shareWith } from './fixtures/share-page.js';

describe('version history in the browser', () => {
  // History needs a signed-in session (guests count): real auth, as `npm start` runs.
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { history: HistoryPage }> {
    const created = await suite.actor(name);
    return Object.assign(created, { history: new HistoryPage(name, created.editor.page) });
  }

  /** Alice creates a document and invites Bob as an editor; both have it open. */
  async function twoEditors() {
    const alice = await actor('alice');
    const bob = await actor('bob');
    await alice.editor.createDocument(suite.server.url);
    await shareWith(alice, bob, 'editor');
    return { alice, bob };
  }

  test('UNDO2 Ctrl+Z after restoring a version changes nothing for anyone (no duplicated text); undo works again for what is typed after', { skip }, async () => {
    const { alice, bob } = await twoEditors();

    await alice.editor.typeText('Our product.');
    await bob.editor.waitForText('Our product.');
    await alice.editor.waitForStatus('saved', 0);
    await alice.history.nameCurrentVersion('First draft');

    // Alice rewrites the last word (back in the editor, at the end); Bob adds a sentence.
    await alice.editor.typeText('');
    for (let i = 0; i < 'product.'.length; i++) await alice.editor.page.keyboard.press('Backspace');
    await alice.editor.page.keyboard.type('service.');
    await bob.editor.waitForText('Our service.');
    await bob.editor.typeText(' Thanks.');
    await alice.editor.waitForText('Our service. Thanks.');
    await alice.editor.waitForStatus('saved', 0);
    await bob.editor.waitForStatus('saved', 0);

    await alice.history.restore('First draft');
    await alice.editor.waitForText('Our product.');
    await bob.editor.waitForText('Our product.');

    // Both press Ctrl+Z: their typing from before the restore is not replayed on top of it.
    await alice.editor.undo();
    await bob.editor.undo();
    // Then each types a mark: once the other sees both, every effect of the undos has arrived too.
    await alice.editor.typeText('A');
    await bob.editor.waitForText('Our product.A');
    await bob.editor.typeText('B');
    await alice.editor.waitForText('Our product.AB');
    await bob.editor.waitForText('Our product.AB');

    // Undo still works for what is typed after the restore: Alice's "A" only.
    await alice.editor.undo();
    await alice.editor.waitForText('Our product.B');
    await bob.editor.waitForText('Our product.B');
  });
});

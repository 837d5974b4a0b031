import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { join } from 'node:path';
import { shareWith, type ShareRole } from './fixtures/share-page.js';

const ARTIFACTS_DIR = new URL('./artifacts/', import.meta.url);

describe('collaborative editing in the browser', () => {
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;
  const actor = (name: string): Promise<Actor> => suite.actor(name);

  /** The owner creates a document as a guest and shares it; the other person joins through the invite link. */
  async function openSharedDocument(owner: Actor, invited: Actor, role: ShareRole = 'editor'): Promise<string> {
    const documentId = await owner.editor.createDocument(suite.server.url);
    await shareWith(owner, invited, role);
    assert.equal(invited.editor.documentId(), documentId, 'the invite leads to the shared document');
    return documentId;
  }

  test('two people see each other type, see each other present, and reach saved', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');

    await openSharedDocument(alice, bob);

    await alice.editor.typeText('Hello from Alice. ');
    await bob.editor.waitForText('Hello from Alice. ');
    await bob.editor.typeText('And Bob.');
    await alice.editor.waitForText('Hello from Alice. And Bob.');

    const [aliceName, bobName] = [await alice.editor.ownName(), await bob.editor.ownName()];
    assert.notEqual(aliceName, bobName, 'each tab is its own guest');
    await alice.editor.waitForPresence([aliceName, bobName]);
    await bob.editor.waitForPresence([aliceName, bobName]);
    await alice.editor.waitForRemoteCaret(bobName);
    await bob.editor.waitForRemoteCaret(aliceName);

    // "saved" means the node acknowledged our changes as committed to storage.
    await alice.editor.waitForStatus('saved', 0);
    await bob.editor.waitForStatus('saved', 0);

    await alice.editor.screenshot(join(ARTIFACTS_DIR.pathname, 'editor.png'));
  });

  test('edits made offline survive a reload and reach others after reconnecting', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    await openSharedDocument(alice, bob);
    await alice.editor.waitForOfflineShell();

    await alice.editor.typeText('Online. ');
    await bob.editor.waitForText('Online. ');
    await alice.editor.waitForStatus('saved', 0);

    // The server goes away; its port and data stay reserved for the restart.
    const { port, dataDir } = suite.server;
    await suite.server.stop();
    await alice.editor.waitForStatus('offline');

    await alice.editor.typeText('Offline.');
    await alice.editor.waitForText('Online. Offline.');
    assert.ok((await alice.editor.status()).pending > 0, 'offline edits are pending');
    await alice.editor.waitForLocalPersistence();

    // Reload with the server unreachable: the shell comes from the service
    // worker, the text from IndexedDB.
    await alice.editor.reload();
    assert.deepEqual(alice.dialogs, ['beforeunload'], 'leaving with unsaved changes asks first');
    await alice.editor.waitForText('Online. Offline.');
    assert.ok((await alice.editor.status()).pending > 0, 'edits from before the reload still count as pending');

    await suite.start({ port, dataDir });
    await bob.editor.waitForText('Online. Offline.');
    await alice.editor.waitForStatus('saved', 0);
  });

  test('undo only undoes your own change', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    await openSharedDocument(alice, bob);

    await alice.editor.typeText('A');
    await bob.editor.waitForText('A');
    await bob.editor.typeText('B');
    await alice.editor.waitForText('AB');

    await alice.editor.undo();
    await alice.editor.waitForText('B');
    await bob.editor.waitForText('B');
  });
});

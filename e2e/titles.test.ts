import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { AccountPage, uniqueEmail } from './fixtures/account-page.js';
import { SharePage } from './fixtures/share-page.js';
import { TitlePage } from './fixtures/title-page.js';

/**
 * Real auth, the way `npm start` runs, with a short pause before the
 * snapshots sidecar reads a document (versions and derived titles), so the
 * test waits for state, not for the 30 s default.
 */
const ENV = { ...REAL_AUTH, AUTO_VERSION_PAUSE_MS: '300', AUTO_VERSION_INTERVAL_MS: '200' };

type Person = Actor & { account: AccountPage; sharing: SharePage; titles: TitlePage };

describe('document titles in the browser', () => {
  const suite = useBrowserSuite({ env: ENV });
  const { skip } = suite;

  async function person(name: string): Promise<Person> {
    const created = await suite.actor(name);
    const page = created.editor.page;
    return Object.assign(created, { account: new AccountPage(name, page), sharing: new SharePage(name, page), titles: new TitlePage(name, page) });
  }

  test('rename in the header: the tab and, after a reload, "My documents" show it; a viewer sees plain text', { skip }, async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    await alice.account.goHome(suite.server.url);
    await alice.account.signUp({ email: uniqueEmail('alice'), password: 'correct horse battery', name: 'Alice Writer' });

    const documentId = await alice.editor.createDocument(suite.server.url);
    assert.deepEqual(await alice.titles.headerTitle(), { text: '', editable: true }, 'a new document has no name yet');
    assert.equal(await alice.editor.page.title(), 'Untitled document – Copycloud');

    // A name the server would refuse gets a clear message and is not saved.
    await alice.titles.rename('x'.repeat(201));
    assert.equal(await alice.titles.renameOutcome(), 'A title can be at most 200 characters.');

    await alice.titles.rename('  Spring launch: headline options  ');
    assert.equal(await alice.titles.renameOutcome(), null);
    assert.deepEqual(await alice.titles.headerTitle(), { text: 'Spring launch: headline options', editable: true });
    assert.equal(await alice.editor.page.title(), 'Spring launch: headline options – Copycloud');
    // Typing a first line does not change a name someone chose.
    await alice.editor.typeText('A different first line');
    await alice.editor.waitForStatus('saved', 0);

    await alice.account.goHome(suite.server.url);
    assert.equal(await alice.titles.listedTitle(documentId), 'Spring launch: headline options');

    // A viewer sees the name as text, not a field.
    await alice.editor.openDocument(suite.server.url, documentId);
    await alice.sharing.openDialog();
    const inviteUrl = await alice.sharing.createInviteLink('viewer', 24);
    await alice.sharing.closeDialog();
    await bob.sharing.acceptAsGuest(inviteUrl);
    await bob.editor.waitForEditor();
    assert.deepEqual(await bob.titles.headerTitle(), { text: 'Spring launch: headline options', editable: false });
  });

  test('an untitled document is named by its first line after a pause in typing', { skip }, async () => {
    const alice = await person('alice');
    await alice.account.goHome(suite.server.url);
    await alice.account.signUp({ email: uniqueEmail('alice'), password: 'correct horse battery', name: 'Alice Writer' });
    const documentId = await alice.editor.createDocument(suite.server.url);
    await alice.account.goHome(suite.server.url);
    assert.equal(await alice.titles.listedTitle(documentId), 'Untitled document');

    await alice.editor.openDocument(suite.server.url, documentId);
    await alice.editor.typeText('Autumn campaign: three headlines');
    await alice.editor.page.keyboard.press('Enter');
    await alice.editor.page.keyboard.type('Body copy follows here.');
    await alice.editor.waitForStatus('saved', 0);

    await alice.titles.waitForListedTitle(suite.server.url, documentId, 'Autumn campaign: three headlines');
    await alice.editor.openDocument(suite.server.url, documentId);
    assert.deepEqual(await alice.titles.headerTitle(), { text: 'Autumn campaign: three headlines', editable: true });
  });
});

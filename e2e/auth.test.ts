import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { join } from 'node:path';
import { AccountPage, uniqueEmail } from './fixtures/account-page.js';

const ARTIFACTS_DIR = new URL('./artifacts/', import.meta.url).pathname;
const PASSWORD = 'correct horse battery';

describe('accounts in the browser', () => {
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;

  async function person(name: string): Promise<Actor & { account: AccountPage }> {
    const created = await suite.actor(name);
    return Object.assign(created, { account: new AccountPage(name, created.editor.page) });
  }

  test('a guest upgrades to an account and keeps their documents, also after signing out and in again', { skip }, async () => {
    const alice = await person('alice');
    const first = await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('Guest draft.');
    await alice.editor.waitForStatus('saved', 0);
    const second = await alice.editor.createDocument(suite.server.url);

    await alice.account.goHome(suite.server.url);
    assert.equal(await alice.account.accountState(), 'guest', '"New document" made this browser a guest');
    assert.deepEqual((await alice.account.documentIds()).sort(), [first, second].sort());

    const email = uniqueEmail('alice');
    await alice.account.upgradeGuest({ email, password: PASSWORD, name: 'Alice Copy' });
    assert.equal(await alice.account.accountState(), 'signed-in');
    assert.equal(await alice.account.accountName(), 'Alice Copy');
    assert.deepEqual((await alice.account.documentIds()).sort(), [first, second].sort(), 'the upgraded account keeps the documents');

    await alice.account.deleteDocument(second);
    await alice.editor.screenshot(join(ARTIFACTS_DIR, 'home-documents.png'));

    await alice.account.signOut();
    assert.equal(await alice.editor.page.getByTestId('document-item').count(), 0, 'signed out: no documents listed');
    await alice.account.signIn({ email, password: PASSWORD });
    assert.equal(await alice.account.accountState(), 'signed-in');
    assert.deepEqual(await alice.account.documentIds(), [first], 'signed in again: the kept document, not the deleted one');

    await alice.editor.openDocument(suite.server.url, first);
    await alice.editor.waitForText('Guest draft.');
  });

  test('sign-in and sign-up errors from the API are shown in the form', { skip }, async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const email = uniqueEmail('alice');
    await alice.account.goHome(suite.server.url);
    await alice.account.signUp({ email, password: PASSWORD });

    await bob.account.goHome(suite.server.url);
    await bob.editor.page.getByTestId('sign-in').click();
    await bob.account.submitAuthDialog({ email, password: 'not the password' });
    assert.equal(await bob.account.authError(), 'Email or password is incorrect.');
    await bob.editor.screenshot(join(ARTIFACTS_DIR, 'sign-in-error.png'));

    // Same dialog, switched to "Create an account" with the taken email.
    await bob.editor.page.getByTestId('auth-switch').click();
    await bob.account.submitAuthDialog({ email, password: PASSWORD });
    await bob.editor.page.getByText('An account with this email already exists.').waitFor();
    assert.equal(await bob.account.accountState(), 'signed-out');
  });
});

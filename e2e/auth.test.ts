import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AccountPage, uniqueEmail } from './fixtures/account-page.js';
import { createActor, type Actor } from './fixtures/actors.js';
import { removeDataDir, startAppServer, type AppServer } from './fixtures/app-server.js';
import { chromiumSkipReason, launchChromium } from './fixtures/browser.js';

const ARTIFACTS_DIR = new URL('./artifacts/', import.meta.url).pathname;
const skip = chromiumSkipReason();
/** Real auth, the way `npm start` runs. */
const REAL_AUTH = { AUTH_DISABLED: undefined };
const PASSWORD = 'correct horse battery';

describe('accounts in the browser', () => {
  let browser: Browser;
  let server: AppServer;
  let actors: Actor[] = [];
  const dataDirs: string[] = [];

  async function person(name: string): Promise<Actor & { account: AccountPage }> {
    const created = await createActor(browser, name);
    actors.push(created);
    return Object.assign(created, { account: new AccountPage(name, created.editor.page) });
  }

  before(async () => {
    if (skip) return;
    browser = await launchChromium();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    for (const dir of dataDirs) removeDataDir(dir);
  });

  beforeEach(async () => {
    if (skip) return;
    server = await startAppServer({ env: REAL_AUTH });
    dataDirs.push(server.dataDir);
  });

  afterEach(async () => {
    if (skip) return;
    const errors = actors.flatMap((a) => a.pageErrors);
    await Promise.all(actors.map((a) => a.close()));
    actors = [];
    await server.stop();
    assert.deepEqual(errors, [], 'no uncaught errors in any page');
  });

  test('a guest upgrades to an account and keeps their documents, also after signing out and in again', { skip }, async () => {
    const alice = await person('alice');
    const first = await alice.editor.createDocument(server.url);
    await alice.editor.typeText('Guest draft.');
    await alice.editor.waitForStatus('saved', 0);
    const second = await alice.editor.createDocument(server.url);

    await alice.account.goHome(server.url);
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

    await alice.editor.openDocument(server.url, first);
    await alice.editor.waitForText('Guest draft.');
  });

  test('sign-in and sign-up errors from the API are shown in the form', { skip }, async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const email = uniqueEmail('alice');
    await alice.account.goHome(server.url);
    await alice.account.signUp({ email, password: PASSWORD });

    await bob.account.goHome(server.url);
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

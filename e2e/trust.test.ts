import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocketRoute } from 'playwright-core';
import type { Actor } from './fixtures/actors.js';
import { AccessPage } from './fixtures/access-page.js';
import { AccountPage, uniqueEmail } from './fixtures/account-page.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { SharePage } from './fixtures/share-page.js';

/**
 * Issue 11: the editor never lies and never drops a keystroke — role changes
 * while typing, losing the network, reloading offline, renames and deletes
 * while open, invite links. Timings are measured in bench/editor, not here.
 */
type Person = Actor & { account: AccountPage; sharing: SharePage; access: AccessPage };

const AI_FAKE = { ...REAL_AUTH, AI_PROVIDER: 'fake', OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };

describe('issue 11: the editor never lies and never drops a keystroke', () => {
  const suite = useBrowserSuite({ env: AI_FAKE });
  const { skip } = suite;

  async function person(name: string): Promise<Person> {
    const created = await suite.actor(name);
    const page = created.editor.page;
    return Object.assign(created, { account: new AccountPage(name, page), sharing: new SharePage(name, page), access: new AccessPage(name, page) });
  }

  /** Alice signs up and creates a document with some text; Bob joins through a link with `role`. */
  async function aliceSharesWithBob(
    role: 'editor' | 'viewer',
    beforeBobJoins: (bob: Person) => Promise<void> = async () => undefined,
  ): Promise<{ alice: Person; bob: Person; documentId: string; bobName: string; inviteUrl: string }> {
    const alice = await person('alice');
    const bob = await person('bob');
    await beforeBobJoins(bob);
    await alice.account.goHome(suite.server.url);
    await alice.account.signUp({ email: uniqueEmail('alice'), password: 'correct horse battery', name: 'Alice Writer' });
    const documentId = await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('Headline. ');
    await alice.editor.waitForStatus('saved', 0);
    await alice.sharing.openDialog();
    const inviteUrl = await alice.sharing.createInviteLink(role);
    await bob.sharing.acceptAsGuest(inviteUrl);
    await bob.editor.waitForText('Headline. ');
    const bobName = await bob.editor.ownName();
    await alice.sharing.reopenDialog();
    await alice.sharing.waitForMember(bobName, role);
    return { alice, bob, documentId, bobName, inviteUrl };
  }

  test('EDIT1 demoted while typing: read-only with a banner, the refused text kept as a draft to copy, sent once editing is allowed again (no reload)', { skip }, async () => {
    let uplink: Uplink | undefined;
    const { alice, bob, bobName } = await aliceSharesWithBob('editor', async (joining) => {
      uplink = await routeUplink(joining);
    });
    await bob.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    await alice.sharing.closeDialog();
    await bob.editor.typeText('Bob here. ');
    await alice.editor.waitForText('Headline. Bob here. ');
    await alice.sharing.openDialog();

    // Bob's keystrokes are in flight (a slow uplink) when Alice changes his role:
    // hold what his browser sends until the node has made him a viewer.
    uplink!.hold();
    await bob.editor.typeText('Typed in flight.');
    await alice.sharing.setMemberRole(bobName, 'viewer');

    const banner = await bob.access.waitForBanner('read-only-banner');
    assert.match(banner, /now a viewer/);
    assert.equal(await bob.editor.isEditable(), false, 'the demoted editor takes no more input');
    assert.equal(await bob.access.shareButtonCount(), 0, 'no Share button for a viewer');
    assert.equal(await bob.access.toolbarCount(), 0, 'no formatting toolbar for a viewer');
    uplink!.release();

    // The node refused those keystrokes: they stay on Bob's screen as his unsaved draft, not "Saving…" for good.
    await bob.editor.waitForStatus('not-saved');
    assert.match(await bob.editor.pendingLabel(), /^1 unsaved change$/);
    assert.equal(await bob.access.unsavedDraft(), 'Typed in flight.');
    assert.equal(await bob.access.copyUnsavedDraft(), 'Typed in flight.');
    assert.equal(await bob.editor.text(), 'Headline. Bob here. Typed in flight.');
    await alice.sharing.closeDialog();
    await alice.editor.typeText(' Alice again.');
    // Alice typed at the end of her copy, which never had Bob's draft: two
    // inserts at one place, ordered by the CRDT (by client id, random here).
    const merged = await bob.editor.waitForTextOneOf([
      'Headline. Bob here.  Alice again.Typed in flight.',
      'Headline. Bob here. Typed in flight. Alice again.',
    ]);
    assert.equal(await alice.editor.text(), 'Headline. Bob here.  Alice again.', 'the refused text never reached Alice');

    // Editor again: editable without a reload, and the draft reaches Alice.
    await alice.sharing.openDialog();
    await alice.sharing.setMemberRole(bobName, 'editor');
    await alice.sharing.closeDialog();
    await bob.access.waitForNoBanner('read-only-banner');
    await bob.editor.page.locator('[data-testid="editor"][contenteditable="true"]').waitFor();
    await alice.editor.waitForText(merged);
    await bob.editor.waitForStatus('saved', 0);
    await bob.editor.typeText(' Back.');
    await alice.editor.waitForText(merged + ' Back.');
  });

  test('EDIT5 losing the network shows "Offline" (browser event), a frozen server too (heartbeat), and pending counts changes, not characters', { skip }, async () => {
    const alice = await person('alice');
    await alice.account.goHome(suite.server.url);
    await alice.account.signUp({ email: uniqueEmail('alice'), password: 'correct horse battery', name: 'Alice Writer' });
    await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('Online words.');
    await alice.editor.waitForStatus('saved', 0);

    await alice.context.setOffline(true);
    await alice.editor.waitForStatus('offline');
    await alice.editor.typeText(' Twenty-two characters');
    assert.equal(await alice.editor.pendingLabel(), '1 unsaved change', 'one burst of typing is one change');
    await alice.context.setOffline(false);
    await alice.editor.waitForStatus('saved', 0);

    // A server that stops answering with the socket still open (no close, no error).
    suite.server.freeze();
    try {
      await alice.editor.waitForStatus('offline');
    } finally {
      suite.server.thaw();
    }
    await alice.editor.waitForStatus('saved', 0);
  });

  test('EDIT4 reloading offline keeps name, role, title and Share; back online others see the same person and AI works', { skip }, async () => {
    const { alice, bob } = await aliceSharesWithBob('editor');
    await alice.sharing.closeDialog();
    const field = alice.editor.page.getByTestId('document-title');
    await field.fill('Launch plan');
    await field.press('Enter');
    await alice.access.waitForHeaderTitle('Launch plan');
    await bob.editor.waitForPresence(['Alice Writer', await bob.editor.ownName()]);
    await alice.editor.waitForOfflineShell();

    await alice.context.setOffline(true);
    await alice.editor.reload();
    assert.equal(await alice.editor.ownName(), 'Alice Writer', 'the same name offline');
    assert.equal(await alice.access.headerTitle(), 'Launch plan', 'the title from the cache');
    assert.equal(await alice.access.shareButtonCount(), 1, 'the owner keeps the Share button');
    assert.equal(await alice.editor.isEditable(), true);
    await alice.editor.typeText(' Offline line.');

    await alice.context.setOffline(false);
    await alice.editor.waitForStatus('saved', 0);
    await bob.editor.waitForText('Headline.  Offline line.');
    await bob.editor.waitForPresence(['Alice Writer', await bob.editor.ownName()]);
    await alice.editor.page.getByTestId('ai-ready').waitFor();
    assert.equal(await alice.editor.page.getByTestId('ai-hint').count(), 0, 'no stale "AI is unavailable: Failed to fetch"');
  });

  test('EDIT6 a rename reaches open pages live; a delete is described as deleted; viewers see no AI', { skip }, async () => {
    const { alice, bob, documentId } = await aliceSharesWithBob('viewer');
    await alice.sharing.closeDialog();
    await bob.access.waitForBanner('read-only-banner');
    await alice.editor.page.getByTestId('ai-ready').waitFor();
    assert.equal(await bob.access.aiAffordanceCount(), 0, 'a viewer is offered no AI');

    const field = alice.editor.page.getByTestId('document-title');
    await field.fill('Renamed while open');
    await field.press('Enter');
    await bob.access.waitForHeaderTitle('Renamed while open');
    await bob.editor.page.waitForFunction(() => document.title.startsWith('Renamed while open'));

    // Alice deletes it from "My documents" while Bob has it open.
    await alice.account.goHome(suite.server.url);
    await alice.account.deleteDocument(documentId);
    const banner = await bob.access.waitForBanner('deleted-banner');
    assert.match(banner, /deleted/);
    await bob.editor.waitForStatus('deleted');
    assert.equal(await bob.access.bannerCount('lost-access-banner'), 0, 'not described as lost access');
    assert.equal(await bob.access.aiAffordanceCount(), 0);
  });

  test('EDIT8 an invite link is checked before "Continue as guest": bad links fail at once, good ones say which document, who, what access', { skip }, async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const carol = await person('carol');
    await alice.account.goHome(suite.server.url);
    await alice.account.signUp({ email: uniqueEmail('alice'), password: 'correct horse battery', name: 'Alice Writer' });
    await alice.editor.createDocument(suite.server.url);
    const field = alice.editor.page.getByTestId('document-title');
    await field.fill('Spring campaign');
    await field.press('Enter');
    await alice.access.waitForHeaderTitle('Spring campaign');
    await alice.sharing.openDialog();
    const inviteUrl = await alice.sharing.createInviteLink('commenter');

    const good = await bob.sharing.openInvite(inviteUrl);
    assert.equal(good.state, 'choose');
    assert.equal(good.title, 'Spring campaign');
    assert.equal(good.inviter, 'Alice Writer');
    assert.equal(good.role, 'commenter');
    assert.match(good.summary, /Alice Writer invited you to comment on “Spring campaign”/);

    const bad = await carol.sharing.openInvite(`${suite.server.url}/invite/${'x'.repeat(43)}`);
    assert.equal(bad.state, 'failed', 'a bad link is reported before anything is clicked');
    assert.match(bad.error, /invalid, expired or revoked/);
    assert.equal(await carol.editor.page.getByTestId('invite-continue-guest').count(), 0, 'no way to become a guest for nothing');
    const stored = await carol.editor.page.evaluate(() => localStorage.getItem('copycloud:refresh-token'));
    assert.equal(stored, null, 'no guest account was created');
  });
});

interface Uplink {
  /** From now on, keep what the page sends (a slow uplink). */
  hold(): void;
  /** Send everything kept, in order, and stop keeping. */
  release(): void;
}

/** Routes the page's sync sockets through the test so its uplink can be held; the node's frames pass at once. */
async function routeUplink(actor: Actor): Promise<Uplink> {
  let holding = false;
  const queued: { server: WebSocketRoute; message: string | Buffer }[] = [];
  await actor.editor.page.routeWebSocket(/\/sync/, (route) => {
    const server = route.connectToServer();
    route.onMessage((message) => (holding ? queued.push({ server, message }) : server.send(message)));
    server.onMessage((message) => route.send(message));
    route.onClose((code, reason) => server.close({ code, reason }));
    server.onClose((code, reason) => route.close({ code, reason }));
  });
  return {
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const { server, message } of queued.splice(0)) server.send(message);
    },
  };
}

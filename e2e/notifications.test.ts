import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { AccountPage, uniqueEmail } from './fixtures/account-page.js';
import { AppearancePage } from './fixtures/appearance-page.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { CommentsPage } from './fixtures/comments-page.js';
import { UI_TIMEOUT_MS } from './fixtures/editor-page.js';
import { NotificationsPage } from './fixtures/notifications-page.js';
import { inviteLink, SharePage } from './fixtures/share-page.js';

describe('notifications in the browser', () => {
  // Mentions are checked against real memberships: real auth, as `npm start` runs.
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { comments: CommentsPage; notifications: NotificationsPage; account: AccountPage }> {
    const created = await suite.actor(name);
    const page = created.editor.page;
    return Object.assign(created, { comments: new CommentsPage(name, page), notifications: new NotificationsPage(name, page), account: new AccountPage(name, page) });
  }

  test('NOTIFY11 Cara @mentions Alice by picking her from the autocomplete → Alice’s bell (home page, no reload) shows 1 live → Alice opens it → the document opens with the thread selected at its words', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    const cara = await actor('cara');

    // Alice has an account (a name to find); Bob and Cara join by invite links as guests.
    await alice.account.goHome(suite.server.url);
    await alice.account.signUp({ email: uniqueEmail('alice'), password: 'correct horse battery', name: 'Alice Martin' });
    await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('Our product is fast and friendly.');
    await alice.editor.waitForStatus('saved', 0);
    const commentLink = await inviteLink(alice, 'commenter');
    const editLink = await inviteLink(alice, 'editor');
    await new SharePage(bob.name, bob.editor.page).acceptAsGuest(editLink);
    await bob.editor.waitForEditor();
    await new SharePage(cara.name, cara.editor.page).acceptAsGuest(commentLink);
    await cara.editor.waitForEditor();
    await cara.editor.waitForText('Our product is fast and friendly.');
    const documentUrl = alice.editor.page.url();

    // Alice goes to her home page: the bell there is live (the stream is open), nothing unread.
    await alice.editor.page.getByRole('link', { name: 'Copycloud' }).click();
    await alice.editor.page.getByTestId('new-document').waitFor({ timeout: UI_TIMEOUT_MS });
    await alice.notifications.waitForBell('the bell live with nothing unread', (bell) => bell.connection === 'live' && bell.label === 'Notifications, none unread');

    // Cara comments on "fast" and mentions Alice by picking her from the list.
    await cara.comments.selectWord('fast');
    await cara.editor.page.getByTestId('comment-button').click();
    const composer = cara.editor.page.getByTestId('comment-composer');
    await composer.waitFor({ timeout: UI_TIMEOUT_MS });
    await cara.editor.page.keyboard.type('Can we prove this? ');
    const everyone = await cara.notifications.typeMentionQuery('');
    assert.equal(everyone.length, 2, `the other two members are offered (never Cara herself): ${JSON.stringify(everyone)}`);
    assert.ok(everyone.includes('Alice Martin'));
    await cara.editor.page.keyboard.type('ali');
    await cara.notifications.waitForOptions(['Alice Martin']);
    assert.equal(await cara.notifications.highlightedOption(), 'Alice Martin');
    assert.deepEqual(await new AppearancePage(cara.name, cara.editor.page).axeFindings('[data-testid="comment-draft"]'), [], 'the composer with its list open');
    await cara.editor.page.keyboard.press('Enter');
    await cara.editor.page.getByTestId('mention-options').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await cara.editor.page.keyboard.type('please check');
    assert.equal(await composer.inputValue(), 'Can we prove this? @Alice Martin please check');
    await cara.editor.page.getByTestId('comment-submit').click();
    const thread = await cara.comments.waitForThread('fast');
    // The mention is shown as her name, marked as a mention.
    assert.deepEqual(thread.replies.map((r) => r.body), ['Can we prove this? @Alice Martin please check']);
    assert.equal(await cara.editor.page.locator(`[data-thread-id="${thread.id}"] [data-testid="comment-mention"]`).textContent(), '@Alice Martin');

    // Alice's bell counts it live, without a reload.
    await alice.notifications.waitForBell('the bell to count the mention', (bell) => bell.label === 'Notifications, 1 unread' && bell.badge === '1');
    await alice.notifications.openPanel();
    const [item] = await alice.notifications.waitForItems('the mention listed', (items) => items.length === 1);
    assert.equal(item!.threadId, thread.id);
    assert.equal(item!.unread, true);
    assert.match(item!.text, new RegExp(`^${await cara.editor.ownName()} mentioned you`));
    assert.match(item!.text, /Can we prove this\? @Alice Martin please check/);
    assert.match(item!.text, /Our product is fast and friendly|Untitled document/, 'the document’s title');
    // The open list (an unread item in it) passes axe: names, roles, contrast.
    assert.deepEqual(await new AppearancePage(alice.name, alice.editor.page).axeFindings('.notifications'), []);

    // Opening it: the document, the thread selected at its words, the notification read.
    await alice.notifications.clickItem(thread.id);
    await alice.editor.waitForEditor();
    assert.equal(alice.editor.page.url().split('#')[0], documentUrl.split('#')[0]);
    await alice.editor.page.locator(`[data-testid="comment-thread"][data-thread-id="${thread.id}"][data-active="true"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await alice.comments.waitForHighlight(thread.id, 'fast');
    await alice.editor.page.locator(`[data-testid="comment-highlight"][data-thread-id="${thread.id}"].comment-highlight--active`).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await alice.notifications.waitForBell('the bell after opening it', (bell) => bell.label === 'Notifications, none unread' && bell.badge === '');
    await alice.editor.screenshot('artifacts/notifications.png');
  });

  test('NOTIFY12 on a phone (390 px) the bell stays in the header beside "Menu", its list fits the window, and a reply to Alice’s thread reaches her bell live', { skip }, async () => {
    const alice = await actor('alice');
    const cara = await actor('cara');
    await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('Launch on Monday.');
    await alice.editor.waitForStatus('saved', 0);
    await alice.comments.selectWord('Monday');
    await alice.comments.commentOnSelection('Or Tuesday?');
    const thread = await alice.comments.waitForThread('Monday');
    const commentLink = await inviteLink(alice, 'commenter');
    await new SharePage(cara.name, cara.editor.page).acceptAsGuest(commentLink);
    await cara.editor.waitForEditor();
    // Alice reads on her phone.
    await alice.editor.page.setViewportSize({ width: 390, height: 800 });
    await alice.notifications.waitForBell('the bell live', (bell) => bell.connection === 'live');

    await cara.comments.waitForThread('Monday');
    await cara.comments.reply(thread.id, 'Tuesday works.');
    await alice.notifications.waitForBell('the reply counted', (bell) => bell.label === 'Notifications, 1 unread');
    assert.equal(await alice.editor.page.getByTestId('header-menu-button').isVisible(), true, 'the phone layout');
    await alice.notifications.openPanel();
    const [item] = await alice.notifications.waitForItems('the reply listed', (items) => items.length === 1);
    assert.match(item!.text, /replied to your comment/);
    const box = await alice.editor.page.getByTestId('notification-panel').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the list fits the window: ${JSON.stringify(box)}`);
    const bellBox = await alice.editor.page.getByTestId('notification-bell').boundingBox();
    assert.ok(bellBox && box.y >= bellBox.y + bellBox.height, `the list opens below the bell, not over it: ${JSON.stringify({ box, bellBox })}`);
    const overflow = await alice.editor.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing scrolls sideways (${overflow} px)`);
    await alice.editor.screenshot('artifacts/notifications-phone.png');
    await alice.editor.page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await new AppearancePage(alice.name, alice.editor.page).axeFindings('.notifications'), [], 'the list in dark, on a phone');
    await alice.editor.page.keyboard.press('Escape');
    await alice.editor.page.getByTestId('notification-panel').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  });
});

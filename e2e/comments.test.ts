import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { CommentsPage } from './fixtures/comments-page.js';
import { inviteLink, SharePage } from './fixtures/share-page.js';

describe('comments in the browser', () => {
  // Comments need signed-in sessions (guests count) and real roles: real auth, as `npm start` runs.
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { comments: CommentsPage }> {
    const created = await suite.actor(name);
    return Object.assign(created, { comments: new CommentsPage(name, created.editor.page) });
  }

  test('COMMENT12 Cara (commenter) comments on selected words → Alice (owner) sees it live, highlighted; Bob (editor) edits around the words and the highlight stays on them; Alice replies and resolves; deleted words leave the thread detached, not lost', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    const cara = await actor('cara');

    await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('Our product is fast and friendly.');
    await alice.editor.page.keyboard.press('Enter');
    await alice.editor.page.keyboard.type('Call us today.');
    await alice.editor.waitForStatus('saved', 0);

    const commentLink = await inviteLink(alice, 'commenter');
    const editLink = await inviteLink(alice, 'editor');
    await new SharePage(cara.name, cara.editor.page).acceptAsGuest(commentLink);
    await cara.editor.waitForEditor();
    await new SharePage(bob.name, bob.editor.page).acceptAsGuest(editLink);
    await bob.editor.waitForEditor();
    await cara.editor.waitForText('Our product is fast and friendly.Call us today.');

    // Cara cannot type, but she can select words and comment on them.
    assert.equal(await cara.editor.isEditable(), false, 'a commenter cannot type');
    await cara.comments.selectWord('fast');
    await cara.comments.commentOnSelection('Can we prove "fast"?');
    const thread = await cara.comments.waitForThread('fast');
    assert.deepEqual(thread.replies, [{ author: await cara.editor.ownName(), body: 'Can we prove "fast"?' }]);

    // Alice sees it live: in the panel and highlighted on the same word.
    await alice.comments.waitForThread('fast', (t) => t.id === thread.id);
    await alice.comments.waitForHighlight(thread.id, 'fast');

    // Bob edits the paragraph around the word while Alice replies.
    await bob.comments.caretAt('fast', 'before');
    await bob.editor.page.keyboard.type('very ');
    await alice.comments.reply(thread.id, 'Benchmarks are in the appendix.');
    await bob.comments.caretAt('fast', 'after');
    await bob.editor.page.keyboard.type(', safe');
    const edited = 'Our product is very fast, safe and friendly.Call us today.';
    for (const person of [alice, bob, cara]) {
      await person.editor.waitForText(edited);
      await person.comments.waitForHighlight(thread.id, 'fast');
    }
    await cara.comments.waitForThread('fast', (t) => t.replies.some((r) => r.body === 'Benchmarks are in the appendix.'), 'Alice’s reply');

    // Alice resolves it: it leaves the open list and the highlight goes, for everyone.
    await alice.comments.resolve(thread.id);
    await cara.comments.showResolved();
    await cara.comments.waitForThread('fast', (t) => t.id === thread.id && t.state === 'resolved', 'the resolved thread');
    await alice.comments.waitForHighlight(thread.id, '');

    // A second comment, with Ctrl+Alt+M; then Bob deletes its words: detached, still listed.
    await cara.comments.selectWord('today');
    await cara.comments.commentOnSelection('Which day?', 'shortcut');
    const second = await alice.comments.waitForThread('today');
    await bob.comments.waitForHighlight(second.id, 'today');
    await bob.comments.selectWord('today');
    await bob.editor.page.keyboard.press('Backspace');
    await alice.editor.waitForText('Our product is very fast, safe and friendly.Call us .');
    const detached = await alice.comments.waitForThread('today', (t) => t.detached, 'the detached thread');
    assert.deepEqual(detached.replies.map((r) => r.body), ['Which day?']);
    await cara.comments.waitForThread('today', (t) => t.detached, 'the detached thread');
    await alice.editor.screenshot('artifacts/comments.png');
  });

  test('COMMENT13 a viewer reads comments but is offered no Comment button or reply box', { skip }, async () => {
    const alice = await actor('alice');
    const vic = await actor('vic');
    await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('Launch on Monday.');
    await alice.editor.waitForStatus('saved', 0);
    await alice.comments.selectWord('Monday');
    await alice.comments.commentOnSelection('Or Tuesday?');
    const thread = await alice.comments.waitForThread('Monday');
    const viewLink = await inviteLink(alice, 'viewer');
    await new SharePage(vic.name, vic.editor.page).acceptAsGuest(viewLink);
    await vic.editor.waitForEditor();
    await vic.comments.waitForThread('Monday', (t) => t.replies[0]?.body === 'Or Tuesday?');
    await vic.comments.waitForHighlight(thread.id, 'Monday');
    await vic.comments.selectWord('Launch');
    assert.equal(await vic.comments.commentButtonVisible(), false);
    assert.equal(await vic.editor.page.getByTestId('comment-reply-input').count(), 0);
    assert.equal(await vic.editor.page.getByTestId('comment-resolve').count(), 0);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { CommentsPage } from './fixtures/comments-page.js';
import { ReviewPage } from './fixtures/review-page.js';
import { SharePage } from './fixtures/share-page.js';
import { SuggestEditPage } from './fixtures/suggest-edit-page.js';

describe('a commenter suggests edits in the browser', () => {
  // Roles come from real invites and sessions: real auth, as `npm start` runs.
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;

  async function actor(name: string) {
    const created: Actor = await suite.actor(name);
    return Object.assign(created, {
      comments: new CommentsPage(name, created.editor.page),
      review: new ReviewPage(name, created.editor.page),
      suggest: new SuggestEditPage(name, created.editor.page),
    });
  }

  test('SUGGEST7 SUGGEST9 Cara (commenter, by a comment invite link) selects words → Suggest edit → types a rewrite → Alice (owner) sees the suggestion live and accepts → plain rewritten text for both; Cara cannot type', { skip }, async () => {
    const alice = await actor('alice');
    const cara = await actor('cara');
    await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText('The quick fox jumps.');
    await alice.editor.waitForStatus('saved', 0);

    const sharing = new SharePage(alice.name, alice.editor.page);
    await sharing.openDialog();
    const commentLink = await sharing.createInviteLink('commenter');
    await sharing.closeDialog();
    await new SharePage(cara.name, cara.editor.page).acceptAsGuest(commentLink);
    await cara.editor.waitForEditor();
    await cara.editor.waitForText('The quick fox jumps.');

    // Cara's page is read-only: typing changes nothing, for her or for Alice.
    assert.equal(await cara.editor.isEditable(), false, 'a commenter cannot type');
    await cara.comments.caretAt('fox', 'before');
    await cara.editor.page.keyboard.type('sly ');
    assert.equal(await cara.editor.text(), 'The quick fox jumps.');

    // Selection → Suggest edit → the dialog quotes the words and starts from them.
    await cara.comments.selectWord('quick');
    assert.deepEqual(await cara.suggest.open(), { quote: 'quick', text: 'quick' });
    // The same words propose nothing: said in the dialog, which stays open.
    assert.match(await cara.suggest.suggestRefused('quick'), /Change the text/);
    await cara.editor.screenshot('artifacts/commenter-suggestion-dialog.png');
    await cara.suggest.suggest('fast');

    // Alice sees it live, drawn as a suggestion (the old word struck, the new one inserted), and so does Cara.
    for (const person of [alice, cara]) await person.review.waitForShown({ inserted: ['fast'], deleted: ['quick'] });
    await alice.editor.waitForText('The quickfast fox jumps.');
    assert.equal(await alice.review.deletionIsStruckThrough(), true);

    // The card at the suggestion names Cara and the change; Alice accepts it.
    await alice.review.openFirstInsertion();
    assert.ok((await alice.review.popoverText()).startsWith(await cara.editor.ownName()), await alice.review.popoverText());
    assert.match(await alice.review.popoverText(), /Replace “quick” with “fast”/);
    await alice.editor.screenshot('artifacts/commenter-suggestion.png');
    await alice.review.acceptInPopover();
    for (const person of [alice, cara]) {
      await person.editor.waitForText('The fast fox jumps.');
      await person.review.waitForShown({ inserted: [], deleted: [] });
    }

    // An owner suggests by typing in Suggesting mode: no "Suggest edit" for her.
    await alice.comments.selectWord('jumps');
    assert.equal(await alice.comments.commentButtonVisible(), true);
    assert.equal(await alice.suggest.buttonVisible(), false);
  });
});

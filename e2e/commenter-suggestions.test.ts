import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { AppearancePage, PHONE_VIEWPORT } from './fixtures/appearance-page.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { CommentsPage } from './fixtures/comments-page.js';
import { ReviewPage } from './fixtures/review-page.js';
import { shareWith } from './fixtures/share-page.js';
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
      look: new AppearancePage(name, created.editor.page),
    });
  }

  /** Alice (owner) writes `text` and shares a comment link that Cara accepts; both pages are open on the document. */
  async function aliceAndCommenterCara(text: string) {
    const alice = await actor('alice');
    const cara = await actor('cara');
    await alice.editor.createDocument(suite.server.url);
    await alice.editor.typeText(text);
    await alice.editor.waitForStatus('saved', 0);
    await shareWith(alice, cara, 'commenter');
    await cara.editor.waitForText(text);
    return { alice, cara };
  }

  test('SUGGEST7 SUGGEST9 Cara (commenter, by a comment invite link) selects words → Suggest edit → types a rewrite → Alice (owner) sees the suggestion live and accepts → plain rewritten text for both; Cara cannot type', { skip }, async () => {
    const { alice, cara } = await aliceAndCommenterCara('The quick fox jumps.');

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

  test('UI3 UI8 at 390 px a commenter’s Comment and Suggest edit float inside the window under the selected words, reachable by Tab, and Comment works; nothing scrolls sideways; axe finds no serious violation', { skip }, async () => {
    const { alice, cara } = await aliceAndCommenterCara('The quick fox jumps over the lazy dog on a narrow phone screen.');
    const page = cara.editor.page;
    await cara.look.usePhoneViewport();
    await cara.comments.selectWord('lazy');
    const words = await page.evaluate(() => {
      const box = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
      return { top: box.top, bottom: box.bottom, left: box.left, right: box.right };
    });

    for (const testId of ['comment-button', 'suggest-edit-button']) {
      const button = page.getByTestId(testId);
      await button.waitFor({ state: 'visible' });
      const box = await button.boundingBox();
      assert.ok(box, `${testId} has a box`);
      assert.ok(box.x >= 0 && box.x + box.width <= PHONE_VIEWPORT.width, `${testId} inside 0..${PHONE_VIEWPORT.width}: ${JSON.stringify(box)}`);
      assert.ok(box.y >= 0 && box.y + box.height <= PHONE_VIEWPORT.height, `${testId} inside the window's height: ${JSON.stringify(box)}`);
      // Not over the selected words: wholly below or wholly above them.
      assert.ok(box.y >= words.bottom || box.y + box.height <= words.top, `${testId} ${JSON.stringify(box)} covers the words ${JSON.stringify(words)}`);
      assert.ok(box.height >= 40, `${testId} is finger-sized (${box.height} px tall)`);
    }
    const width = await cara.look.pageWidth();
    assert.ok(width.scrollWidth <= width.innerWidth, `with the selection actions the page is ${width.scrollWidth} px wide; widest: ${width.widest}`);

    // Screen readers: a named group of two buttons. Keyboard: Tab from the words (a double-click on one, as a
    // person would select it; a read-only page has no caret to start from) reaches them next, in order.
    const group = page.getByRole('group', { name: 'Actions on the selected text' });
    assert.equal(await group.getByRole('button').count(), 2);
    await page.mouse.dblclick((words.left + words.right) / 2, (words.top + words.bottom) / 2);
    await page.getByTestId('comment-button').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => window.getSelection()?.toString()), 'lazy');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'comment-button');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'suggest-edit-button');
    assert.deepEqual(await cara.look.axeFindings(), []);
    await cara.editor.screenshot('artifacts/commenter-selection-actions-390.png');

    // Suggest edit opens inside the window too (and closes without sending anything).
    await cara.comments.selectWord('lazy');
    assert.deepEqual(await cara.suggest.open(), { quote: 'lazy', text: 'lazy' });
    const dialog = await page.getByTestId('suggest-edit-dialog').boundingBox();
    assert.ok(dialog && dialog.x >= 0 && dialog.x + dialog.width <= PHONE_VIEWPORT.width, `dialog at ${JSON.stringify(dialog)}`);
    await cara.suggest.cancel();

    // Comment works from the floating button: the thread is there, on the words.
    await cara.comments.selectWord('lazy');
    await cara.comments.commentOnSelection('Which dog?');
    const thread = await cara.comments.waitForThread('lazy');
    assert.deepEqual(thread.replies.map((reply) => reply.body), ['Which dog?']);
    const after = await cara.look.pageWidth();
    assert.ok(after.scrollWidth <= after.innerWidth, `after commenting the page is ${after.scrollWidth} px wide; widest: ${after.widest}`);

    // An editor (the owner) on a phone: Comment alone, floating inside the window under the words.
    await alice.look.usePhoneViewport();
    await alice.comments.selectWord('narrow');
    await alice.editor.page.getByTestId('comment-button').waitFor({ state: 'visible' });
    const ownerWords = await alice.editor.page.evaluate(() => window.getSelection()!.getRangeAt(0).getBoundingClientRect().toJSON() as DOMRect);
    const ownerButton = await alice.editor.page.getByTestId('comment-button').boundingBox();
    assert.ok(ownerButton && ownerButton.x >= 0 && ownerButton.x + ownerButton.width <= PHONE_VIEWPORT.width, `owner's Comment at ${JSON.stringify(ownerButton)}`);
    assert.ok(ownerButton.y >= ownerWords.bottom || ownerButton.y + ownerButton.height <= ownerWords.top, `owner's Comment ${JSON.stringify(ownerButton)} covers ${JSON.stringify(ownerWords)}`);
    assert.equal(await alice.suggest.buttonVisible(), false, 'editors suggest by typing in Suggesting mode');
    await alice.editor.screenshot('artifacts/owner-selection-actions-390.png');
    await alice.comments.commentOnSelection('Shorter?');
    await alice.comments.waitForThread('narrow');
  });
});

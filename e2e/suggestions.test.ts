import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { REAL_AUTH, useBrowserSuite } from './fixtures/browser-suite.js';
import { ReviewPage } from './fixtures/review-page.js';
import { shareWith } from './fixtures/share-page.js';

describe('suggesting mode in the browser', () => {
  // Roles matter (owner and editor): real auth, as `npm start` runs.
  const suite = useBrowserSuite({ env: REAL_AUTH });
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { review: ReviewPage }> {
    const created = await suite.actor(name);
    return Object.assign(created, { review: new ReviewPage(name, created.editor.page) });
  }

  /** Alice creates a document and invites Bob as an editor; both have it open. */
  async function aliceAndBob() {
    const alice = await actor('alice');
    const bob = await actor('bob');
    await alice.editor.createDocument(suite.server.url);
    await shareWith(alice, bob, 'editor');
    return { alice, bob };
  }

  test('SUGGEST1 SUGGEST2 SUGGEST3 SUGGEST4 Alice suggests a rewrite → Bob sees the insertion and the struck deletion live → Bob accepts → plain text for both; Reject all restores the original', { skip }, async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.editor.typeText('The quick fox jumps.');
    await bob.editor.waitForText('The quick fox jumps.');

    // Alice (owner) switches to Suggesting and rewrites "quick" as "fast".
    await alice.review.switchMode('suggesting');
    await alice.review.selectBeforeEnd(' fox jumps.'.length, 'quick'.length);
    await alice.editor.page.keyboard.type('fast');

    // Bob sees it live: the old word struck through, the new one inserted.
    await bob.review.waitForShown({ inserted: ['fast'], deleted: ['quick'] });
    await bob.editor.waitForText('The quickfast fox jumps.');
    assert.equal(await bob.review.deletionIsStruckThrough(), true);

    // The mode is remembered for this document across a reload.
    await alice.editor.reload();
    assert.equal(await alice.review.mode(), 'suggesting');

    // Bob (editor, in Editing mode) accepts from the card at the suggestion.
    await bob.review.openFirstInsertion();
    // The card names the author (guests get a generated name) and the change.
    assert.ok((await bob.review.popoverText()).startsWith(await alice.editor.ownName()));
    assert.match(await bob.review.popoverText(), /Replace “quick” with “fast”/);
    await bob.editor.screenshot('artifacts/suggestions-bob-card.png');
    await bob.review.acceptInPopover();
    for (const person of [alice, bob]) {
      await person.editor.waitForText('The fast fox jumps.');
      await person.review.waitForShown({ inserted: [], deleted: [] });
    }

    // Alice, still suggesting, replaces "jumps" with "runs"; Bob rejects all.
    await alice.review.selectBeforeEnd(1, 'jumps'.length);
    await alice.editor.page.keyboard.type('runs');
    await bob.review.waitForShown({ inserted: ['runs'], deleted: ['jumps'] });
    await bob.review.rejectAll();
    for (const person of [alice, bob]) {
      await person.editor.waitForText('The fast fox jumps.');
      await person.review.waitForShown({ inserted: [], deleted: [] });
    }
  });
});

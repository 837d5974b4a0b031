import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { useBrowserSuite } from './fixtures/browser-suite.js';
import { AiPanel } from './fixtures/ai-page.js';
import { CountsPage } from './fixtures/counts-page.js';
import { AppearancePage } from './fixtures/appearance-page.js';
import { UI_TIMEOUT_MS } from './fixtures/editor-page.js';

/** The demo model, and no real provider whatever the machine's environment says. */
const DEMO_MODEL = { AI_PROVIDER: 'fake', OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };
/** A sentence of real words: letters (with apostrophes, hyphens, commas between them) separated by single spaces, ending in punctuation. */
const SENTENCE = /[A-Za-z][a-z'’-]*,?( [A-Za-z][a-z'’-]*,?){3,}[.!?]/;
const PHONE = { width: 390, height: 844 };

describe('AI demo copy and headline variants', () => {
  const suite = useBrowserSuite({ env: DEMO_MODEL });
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { ai: AiPanel }> {
    const created = await suite.actor(name);
    return Object.assign(created, { ai: new AiPanel(name, created.editor.page) });
  }

  /** Asks for headline variants of `text` (selected) and waits for them. */
  async function headlinesOf(who: Actor & { ai: AiPanel }, text: string) {
    await who.ai.selectText(text);
    await who.ai.waitForRewriteMenu();
    await who.ai.chooseRewrite('headlines');
    return who.ai.waitForHeadlineVariants();
  }

  test('AIDEMO6 the demo continuation reads as sentences of real words, the same for the same text', { skip }, async () => {
    const alice = await actor('alice');
    const context = 'Notes for the spring sale.';
    const ghosts: string[] = [];
    for (let i = 0; i < 2; i++) {
      await alice.editor.createDocument(suite.server.url);
      await alice.ai.waitForReady();
      await alice.editor.typeText(context);
      ghosts.push(await alice.ai.waitForCompleteGhost());
    }
    const [ghost, again] = ghosts as [string, string];
    assert.match(ghost, SENTENCE, `a readable sentence: ${JSON.stringify(ghost)}`);
    assert.match(ghost, /^ [A-Z][^\n]*[.!?]$/, 'a new sentence after the full stop, ending in punctuation');
    assert.equal(again, ghost, 'the same context gives the same suggestion in another document');
  });

  test('AIUX5 headline variants side by side, measured against the line\'s target: picking the second replaces the selection for everyone in one undo step; Escape cancels; stacked at phone width', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    const documentId = await alice.editor.createDocument(suite.server.url);
    await bob.editor.openDocument(suite.server.url, documentId);
    await alice.ai.waitForReady();

    const original = 'Our spring sale starts on Monday.';
    await alice.editor.typeText(original);
    await bob.editor.waitForText(original);
    // The line is an ad headline (COUNT6): the variants are measured against its 30 characters.
    const counts = new CountsPage('alice', alice.editor.page);
    await counts.cursorAtEndOfBlock(0);
    await counts.setBlockTarget('ad-headline');
    await counts.waitForBlockTargets([{ block: original, text: '33 / 30', state: 'over' }]);

    const cards = await headlinesOf(alice, original);
    await alice.editor.screenshot('artifacts/ai/headline-variants.png');
    assert.equal(cards.length, 4, JSON.stringify(cards));
    for (const card of cards) {
      assert.equal(card.length, `${card.text.length} / 30`);
      assert.equal(card.lengthState, card.text.length > 30 ? 'over' : 'within');
    }
    assert.ok(new Set(cards.map((c) => c.lengthState)).size === 2, `the demo's variants for this line include some that fit and some that do not: ${JSON.stringify(cards)}`);
    assert.equal(new Set(cards.map((c) => c.text)).size, 4, 'four different headlines');
    for (const card of cards) assert.match(card.text, /Spring Sale/, 'on the selection\'s topic');
    assert.ok(
      cards.every((card, i) => card.y === cards[0]!.y && (i === 0 || card.x > cards[i - 1]!.x)),
      `side by side in one row: ${JSON.stringify(cards)}`,
    );
    // The first card takes the keyboard (an effect after the cards render: waited for, not read at once).
    await alice.editor.page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'headline-variant-0', null, { timeout: UI_TIMEOUT_MS });
    assert.equal(await bob.editor.text(), original, 'nothing changes until a pick');

    // The panel itself: axe finds no serious or critical violation (names, contrast of the red counts).
    const findings = await new AppearancePage('alice', alice.editor.page).axeFindings('[data-testid="rewrite-preview"]');
    assert.deepEqual(findings, [], JSON.stringify(findings));

    const second = cards[1]!.text;
    await alice.ai.pickHeadline(1);
    await alice.editor.waitForText(second);
    await bob.editor.waitForText(second);
    const spans = await bob.ai.aiAuthoredSpans();
    assert.deepEqual(spans.map((s) => s.text), [second], 'tracked as AI-written');

    // Straight on the keyboard: the focus is back in the editor, and one Ctrl+Z restores the original for everyone.
    await alice.editor.page.keyboard.press('ControlOrMeta+z');
    await alice.editor.waitForText(original);
    await bob.editor.waitForText(original);

    // Escape cancels: the panel goes, the text stays.
    await headlinesOf(alice, original);
    await alice.editor.page.keyboard.press('Escape');
    await alice.editor.page.getByTestId('rewrite-preview').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    assert.equal(await alice.editor.text(), original);

    // On a phone the cards stack, and nothing scrolls sideways.
    await alice.editor.page.setViewportSize(PHONE);
    const stacked = await headlinesOf(alice, original);
    await alice.editor.screenshot('artifacts/ai/headline-variants-phone.png');
    assert.ok(
      stacked.every((card, i) => card.x === stacked[0]!.x && (i === 0 || card.y > stacked[i - 1]!.y)),
      `stacked in one column: ${JSON.stringify(stacked)}`,
    );
    assert.ok(await alice.editor.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    await alice.editor.page.keyboard.press('Escape');
    await alice.editor.page.getByTestId('rewrite-preview').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    assert.equal(await bob.editor.text(), original);
  });
});

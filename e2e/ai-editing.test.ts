import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './fixtures/actors.js';
import { useBrowserSuite } from './fixtures/browser-suite.js';
import { AiPanel } from './fixtures/ai-page.js';
import { UI_TIMEOUT_MS } from './fixtures/editor-page.js';

/** The demo model, and no real provider whatever the machine's environment says. */
const DEMO_MODEL = { AI_PROVIDER: 'fake', OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };
const EDITOR = '[data-testid="editor"]';

describe('AI while editing: keys, focus, undo, settings', () => {
  const suite = useBrowserSuite({ env: DEMO_MODEL });
  const { skip } = suite;

  async function actor(name: string): Promise<Actor & { ai: AiPanel }> {
    const created = await suite.actor(name);
    return Object.assign(created, { ai: new AiPanel(name, created.editor.page) });
  }

  /** Top of the document page on screen: it must not move when AI panels open. */
  const editorTop = async (who: Actor) => (await who.editor.page.locator(EDITOR).boundingBox())!.y;
  const ghostPhase = (who: Actor) => who.editor.page.getByTestId('ai-status').getAttribute('data-ghost-phase');
  const nestedItems = (who: Actor) => who.editor.page.locator(`${EDITOR} ul ul li`).allTextContents();

  test('AIUX3 after Accept the keyboard is in the editor at the end of the rewrite; Ctrl+Z undoes the rewrite in one step and never Bob\'s typing; bold is kept; the preview does not push the page; the menu does not come back', { skip }, async () => {
    const alice = await actor('alice');
    const bob = await actor('bob');
    const documentId = await alice.editor.createDocument(suite.server.url);
    await bob.editor.openDocument(suite.server.url, documentId);
    await alice.ai.waitForReady();

    const original = 'Our product is good and it is also cheap.';
    await alice.editor.typeText('Headline');
    await alice.editor.page.keyboard.press('Enter');
    await alice.editor.page.keyboard.press('ControlOrMeta+b');
    await alice.editor.page.keyboard.type(original);
    await bob.editor.waitForText('Headline' + original);

    const top = await editorTop(alice);
    await alice.ai.selectText(original);
    await alice.ai.waitForRewriteMenu();
    await alice.ai.chooseRewrite('shorter');
    const preview = await alice.ai.waitForRewritePreview();
    assert.equal(await editorTop(alice), top, 'the preview floats over the page instead of pushing it down');

    // Bob types in the line above while Alice reads the preview.
    await bob.ai.typeAtEndOfParagraph(0, ' now');
    await alice.editor.waitForText('Headline now' + original);

    await alice.ai.acceptRewrite();
    const rewritten = preview.rewrite.trim();
    // Straight on the keyboard, no click: the keys must reach the editor, after the rewrite.
    await alice.editor.page.keyboard.type('!');
    await alice.editor.waitForText('Headline now' + rewritten + '!');
    await bob.editor.waitForText('Headline now' + rewritten + '!');
    assert.equal(await alice.editor.page.getByTestId('rewrite-menu').isVisible(), false, 'no menu over the lines after Accept');
    const bold = await alice.editor.page.locator(`${EDITOR} p`).nth(1).locator('strong').allTextContents();
    assert.ok(bold.join('').includes(rewritten), `the rewrite keeps the original's bold (bold text: ${JSON.stringify(bold)})`);

    await alice.editor.page.keyboard.press('ControlOrMeta+z');
    await alice.editor.waitForText('Headline now' + rewritten);
    // One more Ctrl+Z: the whole rewrite goes, Bob's " now" stays, for everyone.
    await alice.editor.page.keyboard.press('ControlOrMeta+z');
    await alice.editor.waitForText('Headline now' + original);
    await bob.editor.waitForText('Headline now' + original);
  });

  test('AIUX4 Reject leaves the text alone and puts the cursor back at the end of the selection, without reopening the menu', { skip }, async () => {
    const alice = await actor('alice');
    await alice.editor.createDocument(suite.server.url);
    await alice.ai.waitForReady();
    await alice.editor.typeText('Keep this sentence.');
    await alice.ai.selectText('Keep this');
    await alice.ai.waitForRewriteMenu();
    await alice.ai.chooseRewrite('friendlier');
    await alice.ai.waitForRewritePreview();
    await alice.editor.page.getByTestId('rewrite-reject').click();
    await alice.editor.page.getByTestId('rewrite-preview').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await alice.editor.page.keyboard.type('!');
    await alice.editor.waitForText('Keep this! sentence.');
    assert.equal(await alice.editor.page.getByTestId('rewrite-menu').isVisible(), false);
  });

  test('AIUX1 Tab in a list indents and Shift+Tab outdents, also with a suggestion showing; the suggestion is not inserted', { skip }, async () => {
    const alice = await actor('alice');
    await alice.editor.createDocument(suite.server.url);
    await alice.ai.waitForReady();
    await alice.editor.typeText('- First');
    await alice.editor.page.keyboard.press('Enter');
    await alice.editor.page.keyboard.type('Second');
    await alice.ai.waitForCompleteGhost();

    await alice.editor.page.keyboard.press('Tab');
    await alice.ai.waitForNoGhost();
    assert.deepEqual(await nestedItems(alice), ['Second'], 'the second item is indented under the first');
    assert.equal(await alice.editor.text(), 'FirstSecond', 'no AI text inserted');

    await alice.editor.page.keyboard.press('Shift+Tab');
    assert.deepEqual(await nestedItems(alice), []);
    assert.equal(await alice.editor.page.locator(`${EDITOR} ul > li`).count(), 2);
    assert.equal(await alice.editor.text(), 'FirstSecond');
  });

  test('AIUX2 automatic suggestions can be switched off, stay off after a reload, and Ctrl+Space still asks', { skip }, async () => {
    const alice = await actor('alice');
    await alice.editor.createDocument(suite.server.url);
    await alice.ai.waitForReady();
    const toggle = alice.editor.page.getByTestId('ai-auto-suggest');
    assert.equal(await toggle.isChecked(), true, 'on by default');
    await toggle.uncheck();

    await alice.editor.typeText('Quiet please');
    // With suggestions on, a keystroke starts the wait for a pause; off, nothing is waiting.
    assert.equal(await ghostPhase(alice), 'idle');

    await alice.editor.page.keyboard.press('Control+Space');
    const ghost = await alice.ai.waitForCompleteGhost();
    await alice.editor.page.keyboard.press('Tab');
    await alice.editor.waitForText('Quiet please' + ghost);
    await alice.editor.waitForStatus('saved', 0);

    await alice.editor.reload();
    await alice.ai.waitForReady();
    assert.equal(await alice.editor.page.getByTestId('ai-auto-suggest').isChecked(), false, 'remembered');
    await alice.editor.typeText(' More');
    assert.equal(await ghostPhase(alice), 'idle');

    // Switched back on, typing waits for a pause again.
    await alice.editor.page.getByTestId('ai-auto-suggest').check();
    await alice.editor.typeText('.');
    assert.notEqual(await ghostPhase(alice), 'idle');
  });
});

// bench:editor — how long the editor takes to stop telling a stale story
// (issue 11), in real Chromium against the built app (`npm run build` first):
//   role-change → read-only: Alice picks "Can view" for Bob in the Share
//     dialog; until Bob's editor is not editable and shows the banner.
//   network loss → "Offline" (browser event): Playwright setOffline(true).
//   network loss → "Offline" (heartbeat): the server process is frozen
//     (SIGSTOP), every socket stays open, nothing answers.
// Times are wall-clock on one machine (Node and both pages share the clock),
// measured inside the page by a MutationObserver so polling adds nothing.
// Results are printed and written to bench/results/editor-<timestamp>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createActor } from '../../e2e/fixtures/actors.js';
import { AccountPage, uniqueEmail } from '../../e2e/fixtures/account-page.js';
import { removeDataDir, startAppServer } from '../../e2e/fixtures/app-server.js';
import { launchChromium } from '../../e2e/fixtures/browser.js';
import { SharePage } from '../../e2e/fixtures/share-page.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** Resolves (in page time, ms since epoch) when `predicate` first holds; installed before the cause. */
async function armWatch(page: Page, predicate: string): Promise<() => Promise<number>> {
  // A string, not a function: the bundler's helpers (e.g. __name) do not exist in the page.
  await page.evaluate(`(() => {
    window.__benchSeen = new Promise((resolve) => {
      let observer;
      const check = () => {
        if (${predicate}) {
          observer?.disconnect();
          resolve(Date.now());
          return true;
        }
        return false;
      };
      if (check()) return;
      observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
  })()`);
  return () => page.evaluate('window.__benchSeen') as Promise<number>;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, minMs: sorted[0]!, medianMs: pick(0.5), maxMs: sorted.at(-1)!, samplesMs: samples };
}

const server = await startAppServer({ env: { AUTH_DISABLED: undefined } });
const browser = await launchChromium();
try {
  const alice = await createActor(browser, 'alice');
  const bob = await createActor(browser, 'bob');
  const aliceAccount = new AccountPage('alice', alice.editor.page);
  const aliceShare = new SharePage('alice', alice.editor.page);
  await aliceAccount.goHome(server.url);
  await aliceAccount.signUp({ email: uniqueEmail('alice'), password: 'correct horse battery', name: 'Alice Writer' });
  await alice.editor.createDocument(server.url);
  await alice.editor.typeText('Bench. ');
  await alice.editor.waitForStatus('saved', 0);
  await aliceShare.openDialog();
  const invite = await aliceShare.createInviteLink('editor');
  await new SharePage('bob', bob.editor.page).acceptAsGuest(invite);
  await bob.editor.waitForText('Bench. ');
  const bobName = await bob.editor.ownName();
  await aliceShare.reopenDialog();
  await aliceShare.waitForMember(bobName, 'editor');

  const roleChange: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const seen = await armWatch(
      bob.editor.page,
      `document.querySelector('[data-testid="editor"]')?.getAttribute('contenteditable') === 'false' && document.querySelector('[data-testid="read-only-banner"]') !== null`,
    );
    const start = Date.now();
    await aliceShare.setMemberRole(bobName, 'viewer');
    roleChange.push((await seen()) - start);
    await aliceShare.setMemberRole(bobName, 'editor');
    await bob.editor.page.locator('[data-testid="editor"][contenteditable="true"]').waitFor();
  }
  await aliceShare.closeDialog();

  const offlineEvent: number[] = [];
  const heartbeat: number[] = [];
  const offline = `document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') === 'offline'`;
  for (let i = 0; i < ROUNDS; i++) {
    let seen = await armWatch(alice.editor.page, offline);
    let start = Date.now();
    await alice.context.setOffline(true);
    offlineEvent.push((await seen()) - start);
    await alice.context.setOffline(false);
    await alice.editor.waitForStatus('saved');

    seen = await armWatch(alice.editor.page, offline);
    start = Date.now();
    server.freeze();
    const at = await seen();
    server.thaw();
    heartbeat.push(at - start);
    await alice.editor.waitForStatus('saved');
  }

  const result = {
    bench: 'editor',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    rounds: ROUNDS,
    roleChangeToReadOnly: summary(roleChange),
    networkLossToOffline: { browserOfflineEvent: summary(offlineEvent), frozenServerHeartbeat: summary(heartbeat) },
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}editor-${result.at.replace(/[:.]/g, '-')}.json`, JSON.stringify(result, null, 2) + '\n');
  await alice.close();
  await bob.close();
} finally {
  await browser.close();
  await server.stop();
  removeDataDir(server.dataDir);
}

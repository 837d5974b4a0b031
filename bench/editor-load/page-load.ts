import type { Browser, BrowserContext } from 'playwright-core';

/** One first load of a page, in ms since navigation start (the page's own clock). */
export interface LoadSample {
  readonly firstPaintMs: number | null;
  readonly firstContentfulPaintMs: number | null;
  readonly domContentLoadedMs: number;
  readonly loadMs: number;
  /** Until the page can be used: the editor takes input (document page) or "New document" is there (home page). */
  readonly readyMs: number;
  /** Bytes that came over the network for the document and its scripts and styles (0 for those served from a cache). */
  readonly transferredBytes: number;
}

/** The selector that means "usable" on each page. */
export const READY_SELECTORS = {
  home: '[data-testid="new-document"]',
  document: '[data-testid="editor"][contenteditable="true"]',
} as const;

/**
 * Records `performance.now()` when `selector` first matches, from the very
 * start of the document (an init script, so nothing is missed and polling
 * adds nothing). A string, not a function: tsx's helpers do not exist in the page.
 */
function readyWatcher(selector: string): string {
  return `(() => {
    const done = () => { if (window.__benchReadyAt === undefined && document.querySelector(${JSON.stringify(selector)})) { window.__benchReadyAt = performance.now(); return true; } return false; };
    const start = () => {
      if (done()) return;
      const observer = new MutationObserver(() => { if (done()) observer.disconnect(); });
      observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['contenteditable', 'data-testid'] });
    };
    if (document.documentElement) start(); else document.addEventListener('readystatechange', start, { once: true });
  })()`;
}

const READ_TIMINGS = `(async () => {
  while (window.__benchReadyAt === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  if (document.readyState !== 'complete') await new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  // loadEventEnd is set just after the load handlers run; paint entries arrive a frame or two after the paint.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const fcpBy = performance.now() + 2000;
  while (!performance.getEntriesByName('first-contentful-paint').length && performance.now() < fcpBy) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = (name) => performance.getEntriesByType('paint').find((entry) => entry.name === name)?.startTime ?? null;
  const resources = performance.getEntriesByType('resource').filter((entry) => /\\.(js|css)(\\?|$)/.test(entry.name));
  return {
    firstPaintMs: paint('first-paint'),
    firstContentfulPaintMs: paint('first-contentful-paint'),
    domContentLoadedMs: nav.domContentLoadedEventEnd,
    loadMs: nav.loadEventEnd,
    readyMs: window.__benchReadyAt,
    transferredBytes: nav.transferSize + resources.reduce((total, entry) => total + entry.transferSize, 0),
  };
})()`;

/** Loads `url` once in a new page of `context`, its CPU slowed `cpuSlowdown` times (CDP), and reads the timings. */
export async function loadOnce(context: BrowserContext, url: string, readySelector: string, cpuSlowdown: number): Promise<LoadSample> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    await page.addInitScript(readyWatcher(readySelector));
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    return (await page.evaluate(READ_TIMINGS)) as LoadSample;
  } finally {
    await page.close();
  }
}

export type CacheState = 'cold' | 'warm';

/**
 * Cold: a fresh browser context per load (empty HTTP cache, no service
 * worker). Warm: one context that has loaded the page before; the app's
 * offline service worker and the HTTP cache serve what they hold, as on a
 * returning visit.
 */
export async function measureLoads(
  browser: Browser,
  url: string,
  readySelector: string,
  cache: CacheState,
  cpuSlowdown: number,
  rounds: number,
): Promise<{ samples: LoadSample[]; serviceWorker: boolean }> {
  const samples: LoadSample[] = [];
  if (cache === 'cold') {
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        samples.push(await loadOnce(context, url, readySelector, cpuSlowdown));
      } finally {
        await context.close();
      }
    }
    return { samples, serviceWorker: false };
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    // Prime: the first visit fills the caches and installs the service worker.
    const primer = await context.newPage();
    await primer.goto(url, { waitUntil: 'load' });
    await primer.waitForSelector(readySelector, { timeout: 120_000 });
    // Whether the offline shell's worker took over (reported: warm loads are then served by it).
    const serviceWorker = await primer.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 30_000 }).then(
      () => true,
      () => false,
    );
    await primer.close();
    for (let round = 0; round < rounds; round++) samples.push(await loadOnce(context, url, readySelector, cpuSlowdown));
    return { samples, serviceWorker };
  } finally {
    await context.close();
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

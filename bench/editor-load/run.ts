// bench:editor-load — what the editor costs to download and to start.
//   Bundle: every JS/CSS chunk of editor-app/dist, raw, gzip and brotli,
//     and which of them every first load fetches (named in index.html).
//   First load: the home page and a document page in Chromium against the
//     launcher (PORT=0, temp DATA_DIR, embedded PGlite): first paint, first
//     contentful paint, DOMContentLoaded, load, and "ready" (the editor takes
//     input / "New document" is there), cold (fresh context) and warm
//     (returning visit: HTTP cache and the offline service worker), each at
//     normal speed and with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate).
// Report, don't assert: medians are printed and written with every sample to
// bench/results/editor-load-<timestamp>.json. The machine's other load shows
// in the numbers; compare runs made on the same machine.
// Options (env): BENCH_ROUNDS (default 5), BENCH_SKIP_BUILD=1 (measure the dist as it is).
// code-split.patch (beside this file) is the measured lazy-loading experiment:
// `git apply bench/editor-load/code-split.patch` then run again (bench/README.md).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createActor } from '../../e2e/fixtures/actors.js';
import { removeDataDir, REPO_ROOT, startAppServer } from '../../e2e/fixtures/app-server.js';
import { launchChromium } from '../../e2e/fixtures/browser.js';
import { measureBundle } from './bundle.js';
import { type CacheState, type LoadSample, measureLoads, median, READY_SELECTORS } from './page-load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const DIST_DIR = fileURLToPath(new URL('../../editor-app/dist/', import.meta.url));

if (process.env.BENCH_SKIP_BUILD !== '1') {
  console.log('building editor-app (vite build)…');
  execFileSync('npm', ['run', 'build', '-w', '@copycloud/editor-app'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
const bundle = measureBundle(DIST_DIR);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
console.log('\nchunk                                   initial        raw       gzip     brotli');
for (const chunk of bundle.chunks) {
  console.log(`${chunk.file.padEnd(40)}${(chunk.initial ? 'yes' : 'lazy').padStart(7)}${kb(chunk.rawBytes).padStart(11)}${kb(chunk.gzipBytes).padStart(11)}${kb(chunk.brotliBytes).padStart(11)}`);
}
for (const [label, total] of [
  ['total', bundle.total],
  ['first load (initial chunks)', bundle.initial],
] as const) {
  console.log(`${label.padEnd(47)}${kb(total.rawBytes).padStart(11)}${kb(total.gzipBytes).padStart(11)}${kb(total.brotliBytes).padStart(11)}`);
}

interface Row {
  readonly page: keyof typeof READY_SELECTORS;
  readonly cache: CacheState;
  readonly cpuSlowdown: number;
  readonly serviceWorker: boolean;
  readonly median: Record<keyof LoadSample, number | null>;
  readonly samples: readonly LoadSample[];
}

function medianOf(samples: readonly LoadSample[]): Row['median'] {
  const pick = (key: keyof LoadSample) => {
    const values = samples.map((sample) => sample[key]).filter((value): value is number => typeof value === 'number');
    return values.length > 0 ? Math.round(median(values)) : null;
  };
  return {
    firstPaintMs: pick('firstPaintMs'),
    firstContentfulPaintMs: pick('firstContentfulPaintMs'),
    domContentLoadedMs: pick('domContentLoadedMs'),
    loadMs: pick('loadMs'),
    readyMs: pick('readyMs'),
    transferredBytes: pick('transferredBytes'),
  };
}

const server = await startAppServer();
const browser = await launchChromium();
const rows: Row[] = [];
try {
  // A document with some text, created the way a person would.
  const setup = await createActor(browser, 'setup');
  const documentId = await setup.editor.createDocument(server.url);
  await setup.editor.typeText('Spring launch brief. Our spring collection lands on 12 March.');
  await setup.editor.waitForStatus('saved', 0);
  await setup.close();

  const urls = { home: `${server.url}/`, document: `${server.url}/d/${documentId}` } as const;
  console.log(`\nfirst loads: ${ROUNDS} rounds each, medians in ms since navigation start (${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)})`);
  console.log('page      cache  cpu   FP    FCP    DCL   load  ready  transferred');
  for (const cpuSlowdown of [1, 4]) {
    for (const page of ['home', 'document'] as const) {
      for (const cache of ['cold', 'warm'] as const) {
        const { samples, serviceWorker } = await measureLoads(browser, urls[page], READY_SELECTORS[page], cache, cpuSlowdown, ROUNDS);
        const row: Row = { page, cache, cpuSlowdown, serviceWorker, median: medianOf(samples), samples };
        rows.push(row);
        const m = row.median;
        const cell = (value: number | null) => String(value ?? '–').padStart(6);
        console.log(
          `${page.padEnd(10)}${cache.padEnd(6)}${`${cpuSlowdown}×`.padStart(4)}${cell(m.firstPaintMs)} ${cell(m.firstContentfulPaintMs)} ${cell(m.domContentLoadedMs)} ${cell(m.loadMs)} ${cell(m.readyMs)}  ${kb(m.transferredBytes ?? 0)}${serviceWorker ? ' (service worker)' : ''}`,
        );
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
  removeDataDir(server.dataDir);
}

mkdirSync(RESULTS_DIR, { recursive: true });
const file = `${RESULTS_DIR}editor-load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), rounds: ROUNDS, cpus: cpus().length, loadAverage: loadavg(), bundle, loads: rows }, null, 2)}\n`);
console.log(`\nwritten: ${file}`);

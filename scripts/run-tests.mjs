// Runs every test suite in the repository with node's test runner, on the
// TypeScript sources (tsx; the "@copycloud/source" export condition points
// workspace packages at src/). Prints the spec report and, last, one line
// "N passed, N failed[, N skipped]", also saved to .test-results/summary.txt.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const withE2e = !args.includes('--no-e2e');
const only = args.filter((a) => !a.startsWith('--'));

const patterns = only.length
  ? only
  : [
      'packages/*/src/**/*.test.ts',
      'sync-server/src/**/*.test.ts',
      'sync-server/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'launcher/src/**/*.test.ts',
      'launcher/test/**/*.test.ts',
      'editor-app/src/**/*.test.ts',
      'tools/*/src/**/*.test.ts',
      'deploy/test/**/*.test.ts',
      'bench/**/*.test.ts',
      ...(withE2e ? ['e2e/**/*.test.ts'] : []),
    ];

mkdirSync('.test-results', { recursive: true });
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--conditions=@copycloud/source',
    '--test',
    '--test-timeout=180000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/summary-reporter.mjs',
    '--test-reporter-destination=.test-results/summary.txt',
    ...patterns,
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
let summary = '';
try {
  summary = readFileSync('.test-results/summary.txt', 'utf8').trim();
} catch {
  summary = '0 passed, 1 failed';
}
console.log(summary);
process.exit(result.status ?? 1);

/**
 * Runs one scenario alone, without the suite runner:
 *   node --import tsx --conditions=@copycloud/source tools/chaos/src/fuzz/run-one.ts hostile-updates --seed 1 --quick
 * Prints the ScenarioResult as JSON on stdout (progress on stderr); exits 1
 * if it reports anything lost or broken.
 */
import { scenarioNamed } from '../scenarios/index.js';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
if (!name) {
  console.error('usage: run-one.ts <scenario> [--seed N] [--quick]');
  process.exit(2);
}
const seedIndex = args.indexOf('--seed');
const seed = seedIndex >= 0 ? Number(args[seedIndex + 1]) : Math.floor(Math.random() * 2 ** 31);
const quick = args.includes('--quick');
const scenario = scenarioNamed(name);
// Ctrl-C / timeout: exit normally so the scenario's exit hooks kill the nodes it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const started = Date.now();
const result = await scenario.run({ seed, quick, log: (message) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`) });
console.log(JSON.stringify({ scenario: name, seed, quick, seconds: Math.round((Date.now() - started) / 1000), ...result }, null, 2));
process.exit(result.lost > 0 || result.broken > 0 ? 1 : 0);

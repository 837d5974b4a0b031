#!/usr/bin/env node
// The fault suite: `npm run chaos [-- --quick] [--seed N] [--only NAME[,NAME]]`.
// Runs every scenario against real processes on loopback, one after the other,
// prints a Markdown table and one summary line to stdout, writes the results
// to .test-results/chaos.json, and exits 1 if any acknowledged edit was lost,
// any document broke, any node misbehaved or any scenario threw.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { killLeftovers, REPO_ROOT } from './harness/processes.js';
import { formatSummary, formatTable, passed, type ScenarioRow } from './report.js';
import { scenarios } from './scenarios/index.js';

interface Options {
  quick: boolean;
  seed: number;
  only: string[] | null;
  list: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, seed: randomInt(1, 2 ** 31 - 1), only: null, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--seed' || arg.startsWith('--seed=')) {
      const seed = Number(value());
      if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
      options.seed = seed;
    } else if (arg === '--only' || arg.startsWith('--only=')) options.only = value().split(',').filter(Boolean);
    else throw new Error(`unknown argument ${arg} (use --quick, --seed N, --only NAME[,NAME], --list)`);
  }
  return options;
}


function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const all = scenarios;
  if (options.list) {
    for (const s of all) console.log(s.name);
    return 0;
  }
  const unknown = options.only?.filter((name) => !all.some((s) => s.name === name)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  const selected = options.only ? all.filter((s) => options.only!.includes(s.name)) : all;
  const log = (message: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  const replay = `npm run chaos -- --seed ${options.seed}${options.quick ? ' --quick' : ''}`;
  log(`seed ${options.seed} (replay: ${replay}); ${selected.length} scenario(s)${options.quick ? ', quick' : ''}`);

  const rows: ScenarioRow[] = [];
  const started = Date.now();
  // An exception a scenario's callbacks throw outside its promise (a timer, an
  // event handler) fails that scenario, not the whole run.
  let failCurrent: ((error: unknown) => void) | null = null;
  const stray = (error: unknown) => {
    if (failCurrent) failCurrent(error);
    else log(`error outside any scenario: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);
  for (const scenario of selected) {
    log(`${scenario.name}: start`);
    const scenarioStarted = Date.now();
    try {
      const crashed = new Promise<never>((_, reject) => {
        failCurrent = (error) => reject(error instanceof Error ? error : new Error(String(error)));
      });
      crashed.catch(() => {});
      const result = await withTimeout(
        Promise.race([scenario.run({ seed: options.seed, quick: options.quick, log }), crashed]),
        options.quick ? 150_000 : 600_000,
        scenario.name,
      );
      rows.push({ name: scenario.name, result, error: null, ms: Date.now() - scenarioStarted });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${scenario.name}: threw: ${error instanceof Error ? (error.stack ?? message) : message}`);
      rows.push({ name: scenario.name, result: null, error: message.split('\n')[0]!, ms: Date.now() - scenarioStarted });
      const killed = killLeftovers(); // a scenario that threw may have left its processes running
      if (killed) log(`killed ${killed} leftover process(es)`);
    }
    failCurrent = null;
    const row = rows[rows.length - 1]!;
    log(`${scenario.name}: ${passed(row) ? 'ok' : 'FAILED'} in ${Math.round(row.ms / 1000)} s`);
  }

  const table = formatTable(rows);
  const summary = formatSummary(options.seed, rows);
  process.stdout.write(`${table}\n\n${summary}\n`);
  const failed = rows.filter((r) => !passed(r)).length;
  const resultsDir = join(REPO_ROOT, '.test-results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'chaos.json'),
    `${JSON.stringify(
      {
        seed: options.seed,
        quick: options.quick,
        replay,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        passed: rows.length - failed,
        failed,
        summary,
        scenarios: rows.map((r) => ({ name: r.name, passed: passed(r), durationMs: r.ms, error: r.error, ...(r.result ?? {}) })),
      },
      null,
      2,
    )}\n`,
  );
  // One line in the shape the test runner writes, for .ci/run to add up.
  writeFileSync(join(resultsDir, 'chaos-summary.txt'), `${rows.length - failed} passed, ${failed} failed\n`);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s; results in .test-results/chaos.json`);
  return failed === 0 ? 0 : 1;
}

// Whatever way this process ends, the processes it started end with it.
process.on('exit', () => killLeftovers());
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`chaos: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 2;
} finally {
  killLeftovers();
}
// Providers and timers of a failed scenario may keep the loop alive: exit explicitly.
process.exit(exitCode);

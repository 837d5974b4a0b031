#!/usr/bin/env node
// `npm run loadtest -- --url ws://… --clients N --docs M --rate R --duration S [--slo-p99-ms X]`
// Exit codes: 0 SLO met, 1 SLO missed, 2 bad arguments, 3 the run itself failed.
import { ArgumentsError, USAGE, parseLoadTestArgs } from './args.js';
import { runLoadTest } from './run.js';

const EXIT_SLO_MISSED = 1;
const EXIT_USAGE = 2;
const EXIT_FAILED = 3;

let config;
try {
  config = parseLoadTestArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ArgumentsError)) throw error;
  process.stderr.write(`loadtest: ${error.message}\n\n${USAGE}\n`);
  process.exit(EXIT_USAGE);
}

try {
  const report = await runLoadTest(config, { onProgress: (line) => process.stderr.write(`loadtest: ${line}\n`) });
  const l = report.latencyMs;
  process.stderr.write(
    `loadtest: done: ${report.edits} edits, ${report.deliveries} deliveries, latency p50=${l.p50} p90=${l.p90} p99=${l.p99} max=${l.max} ms, ` +
      `errors=${report.errors.total} (rate ${report.errorRate}), SLO ${report.slo.passed ? 'met' : `MISSED: ${report.slo.violations.join('; ')}`}\n`,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.slo.passed ? 0 : EXIT_SLO_MISSED;
} catch (error) {
  const code = (error as { code?: string }).code;
  process.stderr.write(`loadtest: failed${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = EXIT_FAILED;
}

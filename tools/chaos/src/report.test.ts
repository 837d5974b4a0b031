import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatSummary, formatTable, passed, type ScenarioRow } from './report.js';

const ok: ScenarioRow = { name: 'sigkill', ms: 1, error: null, result: { faults: 'SIGKILL n1', acknowledged: 100, lost: 0, broken: 0, convergeMs: 250, notes: 'a | b' } };
const lossy: ScenarioRow = { name: 'failover', ms: 1, error: null, result: { faults: 'SIGKILL n1, SIGKILL n2', acknowledged: 50, lost: 3, broken: 1, convergeMs: null } };
const crashed: ScenarioRow = { name: 'sigterm', ms: 1, error: null, result: { faults: 'SIGTERM n1', acknowledged: 10, lost: 0, broken: 0, convergeMs: 1, violations: ['n1 exited 1 after SIGTERM'] } };
const threw: ScenarioRow = { name: 'redis', ms: 1, error: 'boom', result: null };

describe('chaos report', () => {
  it('passes only scenarios with nothing lost, nothing broken, no node failure, no exception', () => {
    assert.deepEqual([ok, lossy, crashed, threw].map(passed), [true, false, false, false]);
  });

  it('prints one summary line with the totals of the scenarios that finished', () => {
    assert.equal(formatSummary(42, [ok, lossy]), 'chaos: seed 42 — 150 acknowledged edits, 3 lost, 1 documents broken');
    assert.equal(
      formatSummary(7, [ok, crashed, threw]),
      'chaos: seed 7 — 110 acknowledged edits, 0 lost, 0 documents broken; 1 scenario(s) threw, 1 node failure(s)',
    );
  });

  it('prints a Markdown table with one row per scenario, pipes escaped', () => {
    const lines = formatTable([ok, lossy, threw]).split('\n');
    assert.equal(lines[0], '| scenario | faults | acknowledged | lost | broken | converge ms | notes |');
    assert.equal(lines.length, 5);
    assert.equal(lines[2], '| sigkill | SIGKILL n1 | 100 | 0 | 0 | 250 | a \\| b |');
    assert.match(lines[3]!, /\| 3 \| 1 \| never \| FAILED: \|$/);
    assert.match(lines[4]!, /FAILED: threw: boom/);
  });
});

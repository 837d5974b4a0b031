import type { ScenarioResult } from './scenario.js';

export interface ScenarioRow {
  name: string;
  /** Null when the scenario threw. */
  result: ScenarioResult | null;
  error: string | null;
  ms: number;
}

export function passed(row: ScenarioRow): boolean {
  return row.result !== null && row.result.lost === 0 && row.result.broken === 0 && (row.result.violations?.length ?? 0) === 0;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** scenario | faults | acknowledged | lost | broken | converge ms | notes */
export function formatTable(rows: readonly ScenarioRow[]): string {
  const lines = ['| scenario | faults | acknowledged | lost | broken | converge ms | notes |', '|---|---|---:|---:|---:|---:|---|'];
  for (const row of rows) {
    const r = row.result;
    if (!r) {
      lines.push(`| ${cell(row.name)} | — | — | — | — | — | FAILED: threw: ${cell(row.error ?? '')} |`);
      continue;
    }
    const status = passed(row) ? '' : 'FAILED: ';
    lines.push(
      `| ${cell(row.name)} | ${cell(r.faults)} | ${r.acknowledged} | ${r.lost} | ${r.broken} | ${r.convergeMs ?? 'never'} | ${`${status}${cell(r.notes ?? '')}`.trim()} |`,
    );
  }
  return lines.join('\n');
}

/** `chaos: seed 42 — 1234 acknowledged edits, 0 lost, 0 documents broken` (+ what else failed). */
export function formatSummary(seed: number, rows: readonly ScenarioRow[]): string {
  const results = rows.flatMap((r) => (r.result ? [r.result] : []));
  const acknowledged = results.reduce((sum, r) => sum + r.acknowledged, 0);
  const lost = results.reduce((sum, r) => sum + r.lost, 0);
  const broken = results.reduce((sum, r) => sum + r.broken, 0);
  const threw = rows.filter((r) => !r.result).length;
  const violations = results.reduce((sum, r) => sum + (r.violations?.length ?? 0), 0);
  const extra = [threw ? `${threw} scenario(s) threw` : '', violations ? `${violations} node failure(s)` : ''].filter(Boolean);
  return `chaos: seed ${seed} — ${acknowledged} acknowledged edits, ${lost} lost, ${broken} documents broken${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

// Markdown for bench/README.md from a bench:sync result:
//   node --import tsx bench/sync/report.ts bench/results/sync-….json
import { readFileSync } from 'node:fs';
import type { ProfileSummary } from './profile.js';

interface Goal {
  figure: string;
  ours: number | null;
  stock: number | null;
  unit: string;
  ratio: number | null;
  goal: string;
  met: boolean | null;
}
interface Result {
  startedAt: string;
  quick: boolean;
  machine: { loadAverageAtEnd: number[] };
  goals: Goal[];
  results: Record<string, { profiles: Record<string, ProfileSummary> }>;
}

const n = (x: number | null, digits = 2) => (x === null ? '—' : Math.abs(x) >= 1000 ? x.toFixed(0) : x.toFixed(digits));
const file = process.argv[2]!;
const r = JSON.parse(readFileSync(file, 'utf8')) as Result;
const lines: string[] = [];
lines.push(`\`${file.replace(/^.*bench\/results\//, 'bench/results/')}\` (${r.quick ? 'quick, ' : ''}started ${r.startedAt}, load average at the end ${r.machine.loadAverageAtEnd.map((x) => x.toFixed(1)).join(' ')}):`, '');
lines.push('| figure | ours | stock | unit | ours / stock | goal | met |', '|---|---|---|---|---|---|---|');
for (const g of r.goals) lines.push(`| ${g.figure.trim()} | ${n(g.ours)} | ${n(g.stock)} | ${g.unit} | ${g.ratio === null ? '—' : `${g.ratio.toFixed(g.ratio < 0.01 ? 4 : 2)}×`} | ${g.goal} | ${g.met === null ? '' : g.met ? 'yes' : '**no**'} |`);
const profiles = Object.entries(r.results).flatMap(([impl, x]) => Object.entries(x.profiles).map(([name, p]) => ({ impl, name, p })));
for (const name of [...new Set(profiles.map((x) => x.name))]) {
  const pair = profiles.filter((x) => x.name === name);
  lines.push('', `Profile of the writer's node, \`${name}\`: ${pair.map((x) => `${x.impl} ${n(x.p.busyMs, 0)} ms busy of ${n(x.p.wallMs, 0)} ms`).join(', ')}.`, '');
  lines.push(`| area | ${pair.map((x) => `${x.impl} ms | %`).join(' | ')} |`, `|---|${pair.map(() => '---|---').join('|')}|`);
  const areas = [...new Set(pair.flatMap((x) => x.p.areas.map((a) => a.area)))];
  for (const area of areas) {
    lines.push(`| ${area} | ${pair.map((x) => { const a = x.p.areas.find((y) => y.area === area); return a ? `${n(a.ms, 0)} | ${a.pct.toFixed(1)}` : '— | —'; }).join(' | ')} |`);
  }
  for (const x of pair) {
    if (x.p.ourPaths?.length) lines.push('', `Our code, inclusive, ${x.impl}: ${x.p.ourPaths.slice(0, 8).map((t) => `${t.fn} (${t.where}) ${n(t.ms, 0)} ms`).join('; ')}.`);
    lines.push('', `Top self time, ${x.impl}: ${x.p.top.slice(0, 8).map((t) => `${t.fn} (${t.where.replace(/:\d+$/, '')}, ${t.area}) ${n(t.ms, 0)} ms`).join('; ')}.`);
  }
}
console.log(lines.join('\n'));

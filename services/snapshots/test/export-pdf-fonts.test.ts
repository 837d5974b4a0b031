// PDF text beyond Latin: the export embeds Unicode fonts (DejaVu, a CJK
// fallback from the system) and picks one per run of text; what a person's
// tools read back (poppler's pdftotext and pdffonts) is checked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONContent } from '@copycloud/schema';
import { fontRuns, loadPdfFonts, SYSTEM_FALLBACK_FONTS } from '../src/export/fonts.js';
import { toPdf } from '../src/export/pdf.js';

const SAMPLE = 'Ünïcödé Ελληνικά Кириллица 日本語';
const text = (value: string, marks?: JSONContent['marks']): JSONContent => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const cell = (type: 'tableHeader' | 'tableCell', value: string): JSONContent => ({ type, content: [para(text(value))] });

function poppler(tool: 'pdftotext' | 'pdffonts', bytes: Uint8Array, args: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'copycloud-pdf-fonts-'));
  try {
    writeFileSync(join(dir, 'out.pdf'), bytes);
    return execFileSync(tool, [...args, join(dir, 'out.pdf'), ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fallbackPath = SYSTEM_FALLBACK_FONTS.find((path) => existsSync(path));
if (!fallbackPath && process.env.CI === 'true') {
  throw new Error(`no CJK fallback font in CI: install fonts-wqy-microhei (.ci/run does), looked for ${SYSTEM_FALLBACK_FONTS.join(', ')}`);
}

describe('PDF export in Unicode fonts', () => {
  const fonts = loadPdfFonts();
  const document: JSONContent = {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [text(`Заголовок ${SAMPLE}`)] },
      para(text(`Body: ${SAMPLE} `), text('жирный ελληνικά 太字', [{ type: 'bold' }]), text(' κυρτά', [{ type: 'italic' }]), text(' private \uE000 use')),
      { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('Пункт 項目'))] }] },
      { type: 'codeBlock', content: [text('const привет = "世界";')] },
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', 'Plan 計画'), cell('tableHeader', 'Цена')] },
          { type: 'tableRow', content: [cell('tableCell', 'Ελληνικά'), cell('tableCell', '€9 · ¥1000')] },
        ],
      },
    ],
  };

  test(`EXPORT10 pdftotext reads "${SAMPLE}" back from a paragraph, a heading, bold and italic runs, a list, code and table cells`, async () => {
    const bytes = await toPdf(document, { title: `Ünïcödé ${SAMPLE}`, images: new Map(), fonts });
    // Words, not layout: a long heading wraps, table cells sit on lines of their own.
    const read = poppler('pdftotext', bytes).replace(/\s+/g, ' ');
    const expected = fallbackPath
      ? [`Заголовок ${SAMPLE}`, `Body: ${SAMPLE} жирный ελληνικά 太字 κυρτά`, 'Пункт 項目', 'const привет = "世界";', 'Plan 計画', 'Цена', 'Ελληνικά', '€9 · ¥1000']
      : // Without a CJK font on this machine (never in CI), CJK is the replacement character, never a wrong letter.
        [`Заголовок Ünïcödé Ελληνικά Кириллица ���`, 'Пункт ��', 'Цена', 'Ελληνικά', '€9 · ¥1000'];
    for (const line of expected) assert.ok(read.includes(line), `pdftotext has "${line}":\n${read}`);
    // A character no font has is U+FFFD, not a glyph that reads back as something else.
    assert.match(read, /private \uFFFD use/);
  });

  test('EXPORT10 every font is embedded, subset and mapped to Unicode: DejaVu for Latin, Greek and Cyrillic, the fallback for CJK, none of the WinAnsi standard fonts', async () => {
    const bytes = await toPdf(document, { title: 'Fonts', images: new Map(), fonts });
    const table = poppler('pdffonts', bytes).trim().split('\n').slice(2);
    const rows = table.map((line) => line.trim().split(/\s+/));
    const names = rows.map((row) => row[0]!.replace(/^[A-Z]{6}\+/, '')).sort();
    const want = ['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique', 'DejaVuSansMono'];
    assert.deepEqual(names.filter((name) => name.startsWith('DejaVu')), want);
    assert.equal(names.length, want.length + (fallbackPath ? 1 : 0), `fonts: ${names.join(', ')}`);
    for (const row of rows) {
      // emb sub uni: yes yes yes (embedded, subset, ToUnicode map so text can be copied and searched).
      assert.deepEqual(row.slice(-5, -2), ['yes', 'yes', 'yes'], row.join(' '));
    }
    assert.ok(!names.some((name) => /Helvetica|Courier|Times/.test(name)), 'no standard font left');
  });

  test('EXPORT10 runs: one font per run of script, spaces and combining marks stay in the current run, control characters go', () => {
    const runs = fontRuns('Aé Ж\u0301 日本 x\u0007y', fonts, 'regular');
    const regular = fonts.chains.regular[0]!.name;
    assert.equal(runs.map((r) => r.text).join(''), 'Aé Ж\u0301 日本 xy');
    if (fallbackPath) {
      // Latin after CJK stays with the fallback when it has Latin too (fewer switches).
      const tail = fallbackFontHas('x') ? [{ text: '日本 xy', font: 'copycloud-fallback' }] : [{ text: '日本 ', font: 'copycloud-fallback' }, { text: 'xy', font: regular }];
      assert.deepEqual(runs, [{ text: 'Aé Ж\u0301 ', font: regular }, ...tail]);
    } else {
      assert.deepEqual(runs, [{ text: 'Aé Ж\u0301 \uFFFD\uFFFD xy', font: regular }]);
    }
    assert.deepEqual(fontRuns('код', fonts, 'mono'), [{ text: 'код', font: fonts.chains.mono[0]!.name }]);
  });

  test('EXPORT10 without a CJK font on the machine, CJK prints as U+FFFD in DejaVu; Latin, Greek and Cyrillic are unchanged', async () => {
    const bundledOnly = loadPdfFonts([]);
    const bytes = await toPdf({ type: 'doc', content: [para(text(SAMPLE))] }, { title: 'No fallback', images: new Map(), fonts: bundledOnly });
    assert.equal(poppler('pdftotext', bytes).trim(), 'Ünïcödé Ελληνικά Кириллица \uFFFD\uFFFD\uFFFD');
    assert.deepEqual(bundledOnly.faces.map((face) => face.name), ['copycloud-regular', 'copycloud-bold', 'copycloud-italic', 'copycloud-boldItalic', 'copycloud-mono']);
  });

  function fallbackFontHas(char: string): boolean {
    return fonts.chains.regular[1]?.covers(char.codePointAt(0)!) ?? false;
  }
});

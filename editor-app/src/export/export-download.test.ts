import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downloadFileName, EXPORT_FORMATS } from './export-download.js';

test('EDITOR6 the download is named after the title the server sends (filename* first, then filename)', () => {
  assert.equal(downloadFileName(`attachment; filename="Cafe menu.docx"; filename*=UTF-8''Caf%C3%A9%20menu.docx`, 'abc', 'docx'), 'Café menu.docx');
  assert.equal(downloadFileName('attachment; filename="Pricing.pdf"', 'abc', 'pdf'), 'Pricing.pdf');
  assert.equal(downloadFileName('attachment; filename=Pricing.md', 'abc', 'md'), 'Pricing.md');
});

test('EDITOR6 without a usable name the download falls back to the id, and never carries a path', () => {
  assert.equal(downloadFileName(null, 'abc', 'pdf'), 'abc.pdf');
  assert.equal(downloadFileName('attachment', 'abc', 'md'), 'abc.md');
  assert.equal(downloadFileName(`attachment; filename*=UTF-8''%E0%A4%A`, 'abc', 'md'), 'abc.md');
  assert.equal(downloadFileName('attachment; filename="../../etc/passwd"', 'abc', 'md'), '.._.._etc_passwd');
  assert.equal(downloadFileName('attachment; filename=".."', 'abc', 'md'), 'abc.md');
});

test('EDITOR6 the menu offers Markdown, HTML, DOCX and PDF', () => {
  assert.deepEqual(
    EXPORT_FORMATS.map((entry) => entry.format),
    ['md', 'html', 'docx', 'pdf'],
  );
});

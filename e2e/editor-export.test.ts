import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserSuite } from './fixtures/browser-suite.js';
import { docxText, ExportPage, pdfText } from './fixtures/export-page.js';
import { InsertPage } from './fixtures/insert-page.js';
import { TitlePage } from './fixtures/title-page.js';

describe('exporting from the browser', () => {
  const suite = useBrowserSuite();
  const { skip } = suite;

  test('EDITOR6 Export → DOCX and PDF download files named after the title that open with the document text, table included; Markdown and HTML too', { skip }, async () => {
    const alice = await suite.actor('alice');
    await alice.editor.createDocument(suite.server.url);
    const title = new TitlePage('alice', alice.editor.page);
    await title.rename('Spring menu');
    assert.equal(await title.renameOutcome(), null);

    await alice.editor.typeText('Fresh coffee, roasted daily.');
    const insert = new InsertPage('alice', alice.editor.page);
    await insert.newParagraphAtEnd();
    await insert.press('insert-table');
    await insert.waitForTableShape({ rows: 3, cols: 3, headerCells: 3 });
    await alice.editor.page.keyboard.type('Espresso');
    await alice.editor.waitForStatus('saved', 0);

    const exports = new ExportPage('alice', alice.editor.page);
    const docx = await exports.download('docx');
    assert.equal(docx.fileName, 'Spring menu.docx');
    const docxWords = docxText(docx.path);
    assert.match(docxWords, /Fresh coffee, roasted daily\./);
    assert.match(docxWords, /Espresso/);

    const pdf = await exports.download('pdf');
    assert.equal(pdf.fileName, 'Spring menu.pdf');
    const pdfWords = pdfText(pdf.path);
    assert.match(pdfWords, /Fresh coffee, roasted daily\./);
    assert.match(pdfWords, /Espresso/);

    const markdown = await exports.download('md');
    assert.equal(markdown.fileName, 'Spring menu.md');
    const html = await exports.download('html');
    assert.equal(html.fileName, 'Spring menu.html');
    await alice.editor.screenshot('artifacts/export-menu.png');
  });
});

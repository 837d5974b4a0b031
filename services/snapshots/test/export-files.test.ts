import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { Hono } from 'hono';
import { DocumentStore, type Database } from '@copycloud/db';
import { DiskFileStorage, FileService } from '@copycloud/files';
import type { JSONContent } from '@copycloud/schema';
import { JPEG_1X1, WEBP_1X1, png } from '../../files/test/images.js';
import { createSnapshotsService, contentDisposition, fileNameOf, type SnapshotsService } from '../src/index.js';
import { TestRoles, bearer, contentUpdate, implementations, quietLogger, testConfig, testVerifier } from './helpers.js';

const text = (value: string, marks?: JSONContent['marks']): JSONContent => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const cell = (type: 'tableHeader' | 'tableCell', value: string): JSONContent => ({ type, content: [para(text(value))] });

/** Reads a produced file the way a person's tools would: unzip for DOCX, poppler's pdftotext for PDF. */
function unzipEntry(bytes: Uint8Array, entry: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'copycloud-docx-'));
  try {
    writeFileSync(join(dir, 'out.docx'), bytes);
    return execFileSync('unzip', ['-p', join(dir, 'out.docx'), entry], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function unzipList(bytes: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'copycloud-docx-'));
  try {
    writeFileSync(join(dir, 'out.docx'), bytes);
    return execFileSync('unzip', ['-Z1', join(dir, 'out.docx')], { encoding: 'utf8' }).trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function pdfTool(tool: 'pdftotext' | 'pdfimages' | 'pdfinfo', bytes: Uint8Array, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'copycloud-pdf-'));
  try {
    writeFileSync(join(dir, 'out.pdf'), bytes);
    return execFileSync(tool, [...args, join(dir, 'out.pdf'), ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const xmlText = (xml: string) => xml.replace(/<w:tab\/>/g, '\t').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&quot;/g, '"');

describe('DOCX and PDF export (pglite, files on disk)', () => {
  const impl = implementations.find((i) => i.name === 'pglite')!;
  let db: Database;
  let cleanup: () => Promise<void>;
  let service: SnapshotsService;
  let app: Hono;
  let filesDir: string;
  const roles = new TestRoles();
  const author = new Y.Doc();
  let pngUrl = '';
  let jpegUrl = '';
  let webpUrl = '';
  let foreignUrl = '';

  before(async () => {
    ({ db, cleanup } = await impl.open());
    filesDir = mkdtempSync(join(tmpdir(), 'copycloud-export-files-'));
    const storage = new DiskFileStorage(filesDir);
    const files = new FileService({ storage, maxUploadBytes: 1024 * 1024 });
    pngUrl = (await files.upload('launch', png(320, 160, [20, 120, 200]))).url;
    jpegUrl = (await files.upload('launch', JPEG_1X1)).url;
    webpUrl = (await files.upload('launch', WEBP_1X1)).url;
    foreignUrl = (await files.upload('secret-doc', png(8, 8))).url;

    service = createSnapshotsService({ config: testConfig(), db, logger: quietLogger, verifier: testVerifier, roles, files: storage });
    app = new Hono().route('/', service.app);
    const store = new DocumentStore(db);
    await store.ensureDocument('launch', 'Q3 launch: “Hello/World” ünïcode');
    await store.ensureDocument('untitled');
    roles.grant('launch', 'victor', 'viewer');
    roles.grant('untitled', 'victor', 'viewer');
    const content: JSONContent = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [text('Launch copy')] },
        para(text('Plain, '), text('bold', [{ type: 'bold' }]), text(' and a '), text('link', [{ type: 'link', attrs: { href: 'https://example.com/' } }]), text('.')),
        { type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', 'Plan'), cell('tableHeader', 'Price')] }, { type: 'tableRow', content: [cell('tableCell', 'Basic'), cell('tableCell', '$9')] }] },
        { type: 'image', attrs: { src: pngUrl, alt: 'Blue banner' } },
        { type: 'image', attrs: { src: jpegUrl, alt: 'Dot' } },
        { type: 'image', attrs: { src: webpUrl, alt: 'A webp sticker' } },
        { type: 'image', attrs: { src: foreignUrl, alt: 'Not yours' } },
        { type: 'image', attrs: { src: 'data:image/png;base64,iVBORw0KGgo=', alt: 'Inline blob' } },
        { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: true }, content: [para(text('write headline'))] }, { type: 'taskItem', attrs: { checked: false }, content: [para(text('pick image'))] }] },
        { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [para(text('one'))] }, { type: 'listItem', content: [para(text('two'))] }] },
      ],
    };
    await store.append([{ documentId: 'launch', update: contentUpdate(author, content), originNode: 'n' }]);
    await store.append([{ documentId: 'untitled', update: contentUpdate(new Y.Doc(), { type: 'doc', content: [para(text('no title yet'))] }), originNode: 'n' }]);
  });
  after(async () => {
    await service.stop();
    await cleanup();
    rmSync(filesDir, { recursive: true, force: true });
  });

  const get = (path: string) => app.request(path, { headers: bearer('victor') });

  test('EXPORT6 DOCX: a Word file whose document.xml has the headings, text, table cells, task states, numbered list, and the document’s own images in word/media', async () => {
    const res = await get('/api/docs/launch/export?format=docx');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 2)], [0x50, 0x4b], 'a zip');
    const xml = unzipEntry(bytes, 'word/document.xml');
    const body = xmlText(xml);
    for (const expected of ['Launch copy', 'Plain, bold and a link.', 'Plan', 'Price', 'Basic', '$9', '☒ write headline', '☐ pick image', 'one', 'two']) {
      assert.ok(body.includes(expected), `document.xml has "${expected}"`);
    }
    assert.match(xml, /<w:pStyle w:val="Heading1"\/>/);
    assert.match(xml, /<w:tbl>/);
    assert.match(xml, /<w:tblHeader\/>/, 'the header row repeats as a table header');
    // PNG and JPEG embedded; WebP (not a DOCX format), another document's file and a data: URL are not.
    const media = unzipList(bytes).filter((name) => name.startsWith('word/media/'));
    assert.equal(media.length, 2, media.join(', '));
    assert.ok(body.includes('[A webp sticker]'));
    assert.ok(!body.includes('Not yours') || body.includes('[Not yours]'));
    assert.ok(!xml.includes('data:image'));
    assert.match(unzipEntry(bytes, 'docProps/core.xml'), /<dc:title>Q3 launch: “Hello\/World” ünïcode<\/dc:title>/);
  });

  test('EXPORT7 PDF: pdftotext reads the headings, text, table cells and task states; the PNG and JPEG are embedded images', async () => {
    const res = await get('/api/docs/launch/export?format=pdf');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(Buffer.from(bytes.subarray(0, 5)).toString(), '%PDF-');
    const pdfText = pdfTool('pdftotext', bytes, ['-layout']);
    for (const expected of ['Launch copy', 'Plain, bold and a link.', 'Plan', 'Price', 'Basic', '$9', '[x] write headline', '[ ] pick image', '1. one', '2. two', '[A webp sticker]']) {
      assert.ok(pdfText.includes(expected), `PDF text has "${expected}":\n${pdfText}`);
    }
    assert.match(pdfText, /Plan\s+Price/, 'the header cells on one line');
    assert.match(pdfText, /Basic\s+\$9/);
    const images = pdfTool('pdfimages', bytes, ['-list']).trim().split('\n').slice(2);
    assert.equal(images.length, 2, images.join('\n'));
    assert.match(images.join('\n'), /\s320\s+160\s/, 'the PNG at its own pixel size');
    assert.match(pdfTool('pdfinfo', bytes, []), /Title:\s+Q3 launch: “Hello\/World” ünïcode/);
  });

  test('EXPORT8 the file is named after the document’s title in every format, for versions too; an untitled document is "Untitled"', async () => {
    for (const format of ['md', 'html', 'docx', 'pdf']) {
      const res = await get(`/api/docs/launch/export?format=${format}`);
      assert.equal(res.status, 200, format);
      const disposition = res.headers.get('content-disposition') ?? '';
      assert.ok(disposition.startsWith(`attachment; filename="Q3 launch _Hello World_ _n_code.${format}"`), disposition);
      assert.ok(disposition.endsWith(`filename*=UTF-8''${encodeURIComponent(`Q3 launch “Hello World” ünïcode.${format}`).replace(/'/g, '%27')}`), disposition);
    }
    const untitled = await get('/api/docs/untitled/export?format=pdf');
    assert.match(untitled.headers.get('content-disposition') ?? '', /filename="Untitled\.pdf"/);

    const version = await service.history.createNamed('launch', 'Before review', { userId: 'victor', name: 'Victor' });
    const docx = await get(`/api/docs/launch/versions/${version.id}?format=docx`);
    assert.equal(docx.status, 200);
    assert.match(docx.headers.get('content-disposition') ?? '', new RegExp(`\\(version ${version.id}\\)\\.docx"`));
    assert.ok(xmlText(unzipEntry(new Uint8Array(await docx.arrayBuffer()), 'word/document.xml')).includes('Launch copy'));
    const pdf = await get(`/api/docs/launch/versions/${version.id}?format=pdf`);
    assert.equal(pdf.status, 200);
    assert.ok(pdfTool('pdftotext', new Uint8Array(await pdf.arrayBuffer()), []).includes('Launch copy'));
    assert.equal((await get('/api/docs/launch/export?format=odt')).status, 400);
  });

  test('EXPORT9 file names never carry path separators, quotes or control characters', () => {
    assert.equal(fileNameOf('../../etc/passwd', '', 'pdf'), 'etc passwd.pdf');
    assert.equal(fileNameOf('a\u0000b\r\nc"d', '', 'md'), 'a b c d.md');
    assert.equal(fileNameOf('   ', '', 'md'), 'Untitled.md');
    assert.equal(fileNameOf('x'.repeat(300), '', 'md').length, 103);
    assert.equal(contentDisposition('Plan "A".pdf'), `attachment; filename="Plan _A_.pdf"; filename*=UTF-8''Plan%20%22A%22.pdf`);
  });
});

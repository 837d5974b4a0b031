import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getSchema, type JSONContent } from '@tiptap/core';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import {
  DOCUMENT_FIELD,
  appFileUrl,
  documentExtensions,
  fromHTML,
  fromMarkdown,
  isAppFileUrl,
  jsonToYState,
  parseAppFileUrl,
  toHTML,
  toMarkdown,
  withAppImagesOnly,
  yStateToJSON,
} from './index.js';

const text = (value: string): JSONContent => ({ type: 'text', text: value });
const para = (value: string): JSONContent => ({ type: 'paragraph', content: [text(value)] });
const FILE_ID = '3f2a0c1e-1111-4222-8333-444455556666.png';
const IMAGE_SRC = appFileUrl('doc-1', FILE_ID);

/** A pricing table with a header row, an uploaded image and a task list: the blocks issue 14 adds. */
export const BLOCKS_DOCUMENT: JSONContent = {
  type: 'doc',
  content: [
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [{ type: 'tableHeader', content: [para('Plan')] }, { type: 'tableHeader', content: [para('Price')] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', content: [para('Basic')] }, { type: 'tableCell', content: [para('$9')] }] },
      ],
    },
    { type: 'image', attrs: { src: IMAGE_SRC, alt: 'Logo', title: null } },
    {
      type: 'taskList',
      content: [
        { type: 'taskItem', attrs: { checked: true }, content: [para('write headline')] },
        { type: 'taskItem', attrs: { checked: false }, content: [para('pick image')] },
      ],
    },
  ],
};

/** What survives any format: block types, cell kinds, image src/alt, task states, text. */
function shape(node: JSONContent): unknown {
  if (node.type === 'text') return node.text;
  if (node.type === 'image') return ['image', node.attrs?.['src'], node.attrs?.['alt']];
  const head = node.type === 'taskItem' ? `taskItem:${node.attrs?.['checked']}` : node.type;
  return [head, ...(node.content ?? []).map(shape)];
}

describe('tables, images and task lists in the shared schema', () => {
  test('SCHEMA1 the Yjs round trip keeps tables, images and task lists, and the editor schema reads them back', () => {
    const state = jsonToYState(BLOCKS_DOCUMENT);
    assert.deepEqual(shape(yStateToJSON(state)), shape(BLOCKS_DOCUMENT));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const node = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(DOCUMENT_FIELD), getSchema(documentExtensions()));
    assert.deepEqual(
      Array.from({ length: node.childCount }, (_, i) => node.child(i).type.name),
      ['table', 'image', 'taskList'],
    );
    assert.equal(node.child(0).child(0).child(0).type.name, 'tableHeader');
  });

  test('EXPORT4 Markdown export keeps a table with its header row, the image and task states, and reads back the same', () => {
    const md = toMarkdown(BLOCKS_DOCUMENT);
    assert.match(md, /^\| Plan\s+\| Price \|$/m);
    assert.match(md, /^\| -+ \| -+ \|$/m);
    assert.match(md, /^\| Basic\s+\| \$9\s+\|$/m);
    assert.ok(md.includes(`![Logo](${IMAGE_SRC})`), md);
    assert.match(md, /^- \[x\] write headline$/m);
    assert.match(md, /^- \[ \] pick image$/m);
    assert.deepEqual(shape(fromMarkdown(md)), shape(BLOCKS_DOCUMENT));
  });

  test('EXPORT5 HTML export keeps the table (th for the header row), the image and task states, and reads back the same', () => {
    const html = toHTML(BLOCKS_DOCUMENT);
    assert.match(html, /<th[^>]*><p>Plan<\/p><\/th>/);
    assert.match(html, /<td[^>]*><p>\$9<\/p><\/td>/);
    assert.ok(html.includes(`<img src="${IMAGE_SRC}" alt="Logo">`), html);
    assert.match(html, /<li data-checked="true" data-type="taskItem">/);
    assert.deepEqual(shape(fromHTML(html)), shape(BLOCKS_DOCUMENT));
  });

  test('FILES1 an image holds an app file URL, never data:: pasted base64 is not parsed, export drops any non-app image', () => {
    assert.deepEqual(parseAppFileUrl(IMAGE_SRC), { documentId: 'doc-1', fileId: FILE_ID });
    assert.deepEqual(parseAppFileUrl(`https://copy.example${IMAGE_SRC}`), { documentId: 'doc-1', fileId: FILE_ID });
    for (const src of ['data:image/png;base64,AAAA', 'https://evil.example/x.png', '/api/docs/doc-1/files/../../x', `/api/docs/doc-1/files/${FILE_ID}?x=1`, 'javascript:alert(1)', 42]) {
      assert.equal(isAppFileUrl(src), false, String(src));
    }
    // The image extension refuses base64 when HTML is parsed (a paste the editor did not upload).
    const pasted = fromHTML('<img src="data:image/png;base64,iVBORw0KGgo=" alt="x"><p>after</p>');
    assert.equal(JSON.stringify(pasted).includes('data:'), false);

    const hostile: JSONContent = {
      type: 'doc',
      content: [para('before'), { type: 'image', attrs: { src: 'data:image/png;base64,AAAA', alt: 'inline' } }, { type: 'image', attrs: { src: IMAGE_SRC, alt: 'kept' } }],
    };
    const safe = withAppImagesOnly(hostile);
    assert.deepEqual(shape(safe), ['doc', ['paragraph', 'before'], ['image', IMAGE_SRC, 'kept']]);
    assert.equal(toHTML(hostile).includes('data:'), false);
    assert.equal(toMarkdown(hostile).includes('data:'), false);
    assert.equal(withAppImagesOnly(BLOCKS_DOCUMENT), BLOCKS_DOCUMENT, 'unchanged content is returned as is');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import {
  DOCUMENT_FIELD,
  InvalidContentError,
  fromHTML,
  fromMarkdown,
  jsonToYState,
  replaceContent,
  toHTML,
  toMarkdown,
  updateToContent,
  yDocToJSON,
  yStateToJSON,
} from './index.js';

const text = (value: string, marks?: JSONContent['marks']): JSONContent => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });

/** Headings, lists, bold/italic, links and code blocks: what copy writers use. */
export const RICH_DOCUMENT: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [text('Launch copy')] },
    para(text('Plain, '), text('bold', [{ type: 'bold' }]), text(' and '), text('italic', [{ type: 'italic' }]), text(' with a '), text('link', [{ type: 'link', attrs: { href: 'https://example.com/' } }]), text('.')),
    { type: 'heading', attrs: { level: 2 }, content: [text('Points')] },
    { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('first'))] }, { type: 'listItem', content: [para(text('second'))] }] },
    { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [para(text('one'))] }, { type: 'listItem', content: [para(text('two'))] }] },
    { type: 'codeBlock', attrs: { language: 'ts' }, content: [text('const x = 1;\nconsole.log(x);')] },
  ],
};

/** The structure a reader sees: node types, heading levels, text with its marks, link targets, code. */
function outline(json: JSONContent): unknown[] {
  const out: unknown[] = [];
  const walk = (node: JSONContent) => {
    if (node.type === 'text') {
      const marks = (node.marks ?? []).map((m) => (m.type === 'link' ? `link:${m.attrs?.href}` : m.type)).sort();
      out.push([node.text, ...marks]);
      return;
    }
    if (node.type === 'heading') out.push(`h${node.attrs?.level}`);
    else if (node.type === 'codeBlock') out.push(`code:${node.attrs?.language ?? ''}`);
    else out.push(node.type);
    for (const child of node.content ?? []) walk(child);
  };
  walk(json);
  // Adjacent text runs with equal marks may be split or joined by a format; compare joined.
  const merged: unknown[] = [];
  for (const item of out) {
    const last = merged.at(-1);
    if (Array.isArray(item) && Array.isArray(last) && JSON.stringify(item.slice(1)) === JSON.stringify(last.slice(1))) {
      last[0] = String(last[0]) + String(item[0]);
    } else merged.push(Array.isArray(item) ? [...item] : item);
  }
  return merged;
}

describe('document schema', () => {
  test('EXPORT1 Markdown export keeps headings, lists, bold/italic, links, code blocks', () => {
    const md = toMarkdown(RICH_DOCUMENT);
    assert.match(md, /^# Launch copy$/m);
    assert.match(md, /\*\*bold\*\*/);
    assert.match(md, /\[link\]\(https:\/\/example\.com\/\)/);
    assert.match(md, /```ts\nconst x = 1;/);
    assert.deepEqual(outline(fromMarkdown(md)), outline(RICH_DOCUMENT));
  });

  test('EXPORT2 HTML export keeps the same structure', () => {
    const html = toHTML(RICH_DOCUMENT);
    assert.match(html, /<h1>Launch copy<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<em>italic<\/em>/);
    assert.match(html, /href="https:\/\/example\.com\/"/);
    assert.match(html, /<ul>/);
    assert.match(html, /<ol>/);
    assert.match(html, /<pre><code class="language-ts">/);
    assert.deepEqual(outline(fromHTML(html)), outline(RICH_DOCUMENT));
  });

  test('Yjs state round-trips through the Collaboration field', () => {
    const state = jsonToYState(RICH_DOCUMENT);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    assert.ok(doc.getXmlFragment(DOCUMENT_FIELD).length > 0);
    assert.deepEqual(outline(yDocToJSON(doc)), outline(RICH_DOCUMENT));
  });

  test('RESTORE0 a restore update is a forward change that merges with concurrent edits', () => {
    const v1: JSONContent = { type: 'doc', content: [para(text('version one'))] };
    const alice = new Y.Doc();
    replaceContent(alice, v1, null);
    replaceContent(alice, { type: 'doc', content: [para(text('version two')), para(text('extra'))] }, null);
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    // Bob types while the restore is computed against alice's state.
    const restore = updateToContent(Y.encodeStateAsUpdate(alice), v1, { source: 'restore' });
    bob.getXmlFragment(DOCUMENT_FIELD).insert(bob.getXmlFragment(DOCUMENT_FIELD).length, [new Y.XmlElement('paragraph')]);
    const bobsPara = bob.getXmlFragment(DOCUMENT_FIELD).get(bob.getXmlFragment(DOCUMENT_FIELD).length - 1) as Y.XmlElement;
    bobsPara.insert(0, [new Y.XmlText('bob later')]);
    Y.applyUpdate(alice, restore);
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const texts = (yDocToJSON(alice).content ?? []).map((p) => (p.content ?? []).map((t) => t.text).join(''));
    assert.deepEqual(texts, ['version one', 'bob later']);
    assert.deepEqual(yStateToJSON(Y.encodeStateAsUpdate(bob)), yDocToJSON(alice));
  });

  test('content outside the schema is refused with a typed error', () => {
    assert.throws(() => toHTML({ type: 'doc', content: [{ type: 'blink' }] }), InvalidContentError);
  });
});

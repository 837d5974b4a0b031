import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONContent } from '@copycloud/schema';
import { DERIVED_TITLE_MAX_CHARS, derivedTitle, truncateOnWord } from './document-title.js';

const text = (value: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', ...(content.length ? { content } : {}) });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });

test('TITLE1 the first non-empty heading or paragraph names the document', () => {
  assert.equal(derivedTitle(doc(paragraph())), '', 'an empty document has no title');
  assert.equal(derivedTitle(doc(paragraph(), paragraph(text('   ')), { type: 'heading', attrs: { level: 1 }, content: [text('Spring launch')] }, paragraph(text('Body')))), 'Spring launch');
  assert.equal(derivedTitle(doc(paragraph(text('Bold', [{ type: 'bold' }]), text(' and plain')))), 'Bold and plain', 'marks do not split the text');
  assert.equal(derivedTitle(doc(paragraph(text('Line one'), { type: 'hardBreak' }, text('line two')))), 'Line one line two');
  assert.equal(derivedTitle(doc(paragraph(text('  spaced \t  out  ')))), 'spaced out', 'whitespace collapsed and trimmed');
  assert.equal(derivedTitle(doc(paragraph(text('bell\u0007 and\u2028separator')))), 'bell and separator', 'no control characters');
  const list: JSONContent = { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('First bullet'))] }] };
  assert.equal(derivedTitle(doc(paragraph(), list)), 'First bullet', 'paragraphs inside lists count');
  assert.equal(derivedTitle(doc({ type: 'codeBlock', content: [text('const x = 1')] }, paragraph(text('Prose')))), 'Prose', 'code is not a title');
});

test('TITLE2 long first lines are cut to 80 characters on a word boundary', () => {
  const words = 'Our new spring collection is here and it is lighter brighter and more sustainable than ever before';
  const title = derivedTitle(doc(paragraph(text(words))));
  assert.ok(Array.from(title).length <= DERIVED_TITLE_MAX_CHARS);
  assert.ok(words.startsWith(title));
  assert.equal(words[title.length], ' ', 'cut before a space, never inside a word');
  assert.equal(title, 'Our new spring collection is here and it is lighter brighter and more');
  assert.equal(truncateOnWord('a'.repeat(79) + ' b', 80), 'a'.repeat(79), 'trailing space dropped');
  assert.equal(truncateOnWord('a'.repeat(80) + ' b', 80), 'a'.repeat(80), 'a cut right before a space keeps the whole word');
  assert.equal(truncateOnWord('x'.repeat(120), 80), 'x'.repeat(80), 'one word over the limit is cut inside it');
  const emoji = '🚀'.repeat(100);
  assert.equal(truncateOnWord(emoji, 80), '🚀'.repeat(80), 'counted in characters, never splitting a surrogate pair');
  assert.equal(truncateOnWord('short', 80), 'short');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentSchema, SUGGESTION_DELETE_MARK, SUGGESTION_INSERT_MARK } from '@copycloud/schema/extensions';
import { countableText, countCharacters, countText, countWords } from './count-text.js';

const schema = documentSchema();

test('COUNT1 words: punctuation, spaces and symbols are not words; contractions and numbers are one', () => {
  assert.equal(countWords(''), 0);
  assert.equal(countWords('   \n\t'), 0);
  assert.equal(countWords('Hello, world!'), 2);
  assert.equal(countWords('Don’t stop — it’s 3.5x faster... really?!'), 6);
  assert.equal(countWords('one,two;three'), 3);
  assert.equal(countWords('— … !!! 🎉'), 0);
  assert.equal(countWords('e-mail co-op'), 4, 'hyphens separate words (Unicode word boundaries)');
});

test('COUNT1 words in text written without spaces and in non-Latin scripts', () => {
  assert.equal(countWords('Привет, мир'), 2);
  assert.equal(countWords('مرحبا بالعالم'), 2);
  assert.equal(countWords('γειά σου κόσμε'), 3);
  // Chinese and Japanese have no spaces; the segmenter's dictionary splits them into several words, not one per sentence.
  const chinese = countWords('我们的产品很好用。');
  assert.ok(chinese >= 3 && chinese <= 8, `Chinese sentence counted as ${chinese} words`);
  const japanese = countWords('私はコーヒーが好きです');
  assert.ok(japanese >= 3, `Japanese sentence counted as ${japanese} words`);
});

test('COUNT2 characters are what a reader sees: emoji with modifiers, combining accents and flags are one each', () => {
  assert.equal(countCharacters(''), 0);
  assert.equal(countCharacters('abc'), 3);
  assert.equal(countCharacters('e\u0301'), 1);
  assert.equal(countCharacters('👍🏽'), 1);
  assert.equal(countCharacters('👨‍👩‍👧'), 1);
  assert.equal(countCharacters('🇫🇷!'), 2);
  assert.deepEqual(countText('Hi there.'), { words: 2, characters: 9 });
});

test('COUNT3 the counted text: blocks separated by one line break, proposed deletions left out, proposed insertions in; a selection counts its part', () => {
  const attrs = { id: 's', authorId: 'a', authorName: 'A', time: 't' };
  const doc = schema.node('doc', null, [
    schema.node('heading', { level: 1 }, [schema.text('Title')]),
    schema.node('paragraph', null, [
      schema.text('The '),
      schema.text('quick', [schema.marks[SUGGESTION_DELETE_MARK]!.create(attrs)]),
      schema.text('fast', [schema.marks[SUGGESTION_INSERT_MARK]!.create(attrs)]),
      schema.text(' fox.'),
    ]),
    schema.node('bulletList', null, [schema.node('listItem', null, [schema.node('paragraph', null, [schema.text('One'), schema.node('hardBreak'), schema.text('two')])])]),
  ]);
  assert.equal(countableText(doc), 'Title\nThe fast fox.\nOne\ntwo');
  assert.deepEqual(countText(countableText(doc)), { words: 6, characters: 27 });
  // "le" of the title through "The" of the paragraph.
  assert.equal(countableText(doc, 4, 11), 'le\nThe');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carryMarks, type MarkedSpan } from './carry-marks.js';

const eq = (a: string, b: string) => a === b;
const show = (spans: MarkedSpan<string>[]) => spans.map((s) => `${s.text}[${[...s.marks].sort().join(',')}]`);

test('AIUX3 marks on all of the original cover all of the rewrite', () => {
  const original = [
    { text: 'Our ', marks: ['bold'] },
    { text: 'product', marks: ['bold', 'italic'] },
    { text: ' is good.', marks: ['bold'] },
  ];
  assert.deepEqual(show(carryMarks(original, 'A great product.', eq)), ['A great [bold]', 'product[bold,italic]', '.[bold]']);
  assert.deepEqual(show(carryMarks([{ text: 'Click here', marks: ['link:a'] }], 'Press this', eq)), ['Press this[link:a]']);
});

test('AIUX3 marks on part of the original go to the same words in the rewrite, whole words only, and are dropped when the words are gone', () => {
  const original = [
    { text: 'Try ', marks: [] },
    { text: 'Copycloud', marks: ['link:cc'] },
    { text: ' for ', marks: [] },
    { text: 'free', marks: ['bold'] },
    { text: ' today.', marks: [] },
  ];
  assert.deepEqual(show(carryMarks(original, 'freedom: try Copycloud, free.', eq)), ['freedom: try []', 'Copycloud[link:cc]', ', []', 'free[bold]', '.[]']);
  assert.deepEqual(show(carryMarks(original, 'Start now.', eq)), ['Start now.[]']);
});

test('AIUX3 a phrase split over two text nodes with the same marks is matched as one phrase; the first free occurrence wins', () => {
  const original = [
    { text: 'big ', marks: ['bold'] },
    { text: 'news', marks: ['bold'] },
    { text: ' here', marks: [] },
  ];
  assert.deepEqual(show(carryMarks(original, 'big news, big news', eq)), ['big news[bold]', ', big news[]']);
});

test('an empty rewrite has no spans; an original without text keeps nothing', () => {
  assert.deepEqual(carryMarks([{ text: 'x', marks: ['bold'] }], '', eq), []);
  assert.deepEqual(show(carryMarks([], 'Hello', eq)), ['Hello[]']);
});

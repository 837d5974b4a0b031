import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMentions } from '@copycloud/protocol';
import { activeMentionQuery, bodySegments, filterCandidates, insertMention, pickerKey, toDisplayBody, toWireBody, type MentionCandidate } from './mention-picker.js';

const alice: MentionCandidate = { userId: 'u_alice', name: 'Alice Martin' };
const ann: MentionCandidate = { userId: 'u_ann', name: 'Ann' };
const annLee: MentionCandidate = { userId: 'u_annlee', name: 'Ann Lee' };
const zoe: MentionCandidate = { userId: 'u_zoe', name: 'Zoë Brandt' };
const bob: MentionCandidate = { userId: 'u_bob', name: 'Bob' };
const members = [alice, ann, annLee, zoe, bob];

test('NOTIFY10 the @query at the caret: after a space, a bracket or at the start; not in an email address, not across lines, not starting with a space', () => {
  assert.deepEqual(activeMentionQuery('@', 1), { start: 0, end: 1, query: '' });
  assert.deepEqual(activeMentionQuery('hi @al', 6), { start: 3, end: 6, query: 'al' });
  assert.deepEqual(activeMentionQuery('hi (@al', 7), { start: 4, end: 7, query: 'al' });
  assert.deepEqual(activeMentionQuery('ask @Ann Le', 11), { start: 4, end: 11, query: 'Ann Le' });
  assert.deepEqual(activeMentionQuery('hi @al and more', 6), { start: 3, end: 6, query: 'al' }, 'only up to the caret');
  assert.equal(activeMentionQuery('mail me@example.com', 19), null);
  assert.equal(activeMentionQuery('@ al', 4), null);
  assert.equal(activeMentionQuery('@al\nx', 5), null);
  assert.equal(activeMentionQuery('@al  x', 6), null, 'two spaces end it');
  assert.equal(activeMentionQuery(`@${'x'.repeat(41)}`, 42), null, 'too long ago');
  assert.equal(activeMentionQuery('@[Alice](u_alice) ok', 20), null, 'a wire-form mention is not a query');
});

test('NOTIFY10 members filtered as you type: name starts first, then a word start, then contains; accents and case ignored; at most 8', () => {
  assert.deepEqual(filterCandidates(members, '').map((c) => c.name), ['Alice Martin', 'Ann', 'Ann Lee', 'Bob', 'Zoë Brandt']);
  assert.deepEqual(filterCandidates(members, 'an').map((c) => c.name), ['Ann', 'Ann Lee', 'Zoë Brandt']);
  assert.deepEqual(filterCandidates(members, 'mar').map((c) => c.name), ['Alice Martin']);
  assert.deepEqual(filterCandidates(members, 'ZOE').map((c) => c.name), ['Zoë Brandt']);
  assert.deepEqual(filterCandidates(members, 'ann l').map((c) => c.name), ['Ann Lee']);
  assert.deepEqual(filterCandidates(members, 'x'), []);
  const many = Array.from({ length: 20 }, (_, i) => ({ userId: `u${i}`, name: `Sam ${String(i).padStart(2, '0')}` }));
  assert.equal(filterCandidates(many, 'sam').length, 8);
});

test('NOTIFY10 keys: ↓/↑ move and wrap, Enter and Tab choose the highlighted one, Escape dismisses, other keys type', () => {
  assert.deepEqual(pickerKey('ArrowDown', 0, 3), { kind: 'move', highlighted: 1 });
  assert.deepEqual(pickerKey('ArrowDown', 2, 3), { kind: 'move', highlighted: 0 });
  assert.deepEqual(pickerKey('ArrowUp', 0, 3), { kind: 'move', highlighted: 2 });
  assert.deepEqual(pickerKey('Enter', 1, 3), { kind: 'choose', index: 1 });
  assert.deepEqual(pickerKey('Tab', 5, 3), { kind: 'choose', index: 2 });
  assert.deepEqual(pickerKey('Escape', 1, 3), { kind: 'dismiss' });
  assert.deepEqual(pickerKey('a', 1, 3), { kind: 'ignore' });
  assert.deepEqual(pickerKey('Enter', 0, 0), { kind: 'ignore' }, 'no match: Enter is Enter');
});

test('NOTIFY10 picking replaces the query with @Name and a space; the body sent carries the wire form the server parses, longest names first', () => {
  const text = 'ask @an about it';
  const query = activeMentionQuery(text, 7)!;
  const picked = insertMention(text, query, annLee);
  assert.deepEqual(picked, { text: 'ask @Ann Lee about it', caret: 13 });

  const wire = toWireBody('@Ann Lee and @Ann, cc @Alice Martin. Not @Annabel or @Bob', [ann, annLee, alice]);
  assert.equal(wire, '@[Ann Lee](u_annlee) and @[Ann](u_ann), cc @[Alice Martin](u_alice). Not @Annabel or @Bob');
  assert.deepEqual(parseMentions(wire).map((m) => m.userId), ['u_annlee', 'u_ann', 'u_alice']);
  assert.equal(toWireBody('no mentions', []), 'no mentions');
  assert.equal(toWireBody('(@Ann) and @Ann.', [ann]), '(@[Ann](u_ann)) and @[Ann](u_ann).');
});

test('NOTIFY10 a stored body shows mentions as names (for editing and in the thread) and round-trips', () => {
  const stored = 'hi @[Ann Lee](u_annlee), see @[Bob](u_bob)!';
  const shown = toDisplayBody(stored);
  assert.equal(shown.text, 'hi @Ann Lee, see @Bob!');
  assert.deepEqual(shown.picked, [annLee, bob]);
  assert.equal(toWireBody(shown.text, shown.picked), stored);
  assert.deepEqual(bodySegments(stored), [
    { kind: 'text', text: 'hi ' },
    { kind: 'mention', mention: { name: 'Ann Lee', userId: 'u_annlee' } },
    { kind: 'text', text: ', see ' },
    { kind: 'mention', mention: { name: 'Bob', userId: 'u_bob' } },
    { kind: 'text', text: '!' },
  ]);
  assert.deepEqual(bodySegments('plain'), [{ kind: 'text', text: 'plain' }]);
});

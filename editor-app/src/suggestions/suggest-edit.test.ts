import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState } from '@tiptap/pm/state';
import { SUGGESTION_LIMITS, type CreatedSuggestion } from '@copycloud/protocol';
import { documentSchema } from '@copycloud/schema/extensions';
import { CommentsApiError } from '../comments/comments-api.js';
import { checkSuggestedText, normalizeSuggestedText, suggestEditErrorMessage, suggestEditTarget, SuggestionsApi } from './suggest-edit.js';

const created: CreatedSuggestion = { id: 's1', quote: 'fast', text: 'quick', deletedChars: 4, insertedChars: 5 };

describe('Suggest edit for commenters (SUGGEST7)', () => {
  test('SUGGEST7 the selection must lie in one text block that takes suggestions (not across paragraphs, not in code)', () => {
    const schema = documentSchema();
    const doc = schema.node('doc', null, [
      schema.node('paragraph', null, [schema.text('Our product is fast.')]),
      schema.node('paragraph', null, [schema.text('Call us.')]),
      schema.node('codeBlock', null, [schema.text('npm start')]),
    ]);
    const state = EditorState.create({ schema, doc });
    // Positions: paragraph 1 text 1..21, paragraph 2 text 23..31, code 33..42.
    assert.match((suggestEditTarget(state, 5, 5) as { reason: string }).reason, /Select the words/);
    assert.match((suggestEditTarget(state, 16, 26) as { reason: string }).reason, /within one paragraph/);
    assert.match((suggestEditTarget(state, 34, 37) as { reason: string }).reason, /Code blocks/);
    // Within one paragraph it goes on to the Yjs positions (none without the editor's Yjs binding).
    assert.match((suggestEditTarget(state, 16, 20) as { reason: string }).reason, /still loading/);
  });

  test('SUGGEST7 the proposed text is one line, different from the selection, and bounded', () => {
    assert.equal(normalizeSuggestedText('two\nlines\r\nand\ttab\u0007'), 'two lines and\ttab');
    assert.match(checkSuggestedText('fast', 'fast') ?? '', /Change the text/);
    assert.equal(checkSuggestedText('fast', ''), null, 'empty proposes a deletion');
    assert.equal(checkSuggestedText('fast', 'quick'), null);
    assert.match(checkSuggestedText('fast', 'x'.repeat(SUGGESTION_LIMITS.maxTextChars + 1)) ?? '', /At most 4,000 characters/);
  });

  test('SUGGEST7 a suggestion on words not yet on the server (409 anchor_not_found) is retried until it lands; refusals say why in words', async () => {
    let calls = 0;
    const bodies: unknown[] = [];
    const fetchFn = (async (_url: string, init: RequestInit) => {
      calls++;
      bodies.push(JSON.parse(String(init.body)));
      if (calls < 3) return new Response(JSON.stringify({ error: 'anchor_not_found', message: 'not yet' }), { status: 409 });
      return new Response(JSON.stringify({ suggestion: created }), { status: 201 });
    }) as unknown as typeof fetch;
    const api = new SuggestionsApi('doc', async () => 'token', fetchFn, async () => undefined);
    assert.deepEqual(await api.create({ from: 'AA==', to: 'AQ==', text: 'quick' }), created);
    assert.equal(calls, 3);
    assert.deepEqual(bodies[2], { from: 'AA==', to: 'AQ==', text: 'quick' });

    const refusing = new SuggestionsApi('doc', async () => 'token', (async () => new Response(JSON.stringify({ error: 'forbidden', message: 'no' }), { status: 403 })) as typeof fetch);
    const refusal = await refusing.create({ from: 'AA==', to: 'AQ==', text: 'x' }).catch((error: unknown) => error);
    assert.ok(refusal instanceof CommentsApiError);
    assert.match(suggestEditErrorMessage(refusal), /can no longer suggest/);
    assert.match(suggestEditErrorMessage(new CommentsApiError(400, 'invalid_request', 'text: too long')), /refused: text: too long/);
    assert.match(suggestEditErrorMessage(new CommentsApiError(409, 'anchor_not_found', 'later')), /not reached the server yet/);
    assert.match(suggestEditErrorMessage(new TypeError('Failed to fetch')), /Could not reach the server/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import corpus from './corpus.json' with { type: 'json' };
import { startFakeOpenAI } from './server.js';
import { generateText, generateTokens, readTask, topicsOf } from './text.js';

/** A prompt laid out as services/ai lays it out (prompt/prompt.ts): instructions, then data in tagged blocks. */
const continuePrompt = (before: string) =>
  `Continue the document at the cursor.\n<document_before_cursor>\n${before}\n</document_before_cursor>\n<document_after_cursor>\n\n</document_after_cursor>`;
const rewritePrompt = (task: string, selection: string, request?: string) =>
  [
    'You rewrite the text in <selection>; the surrounding context is for reference only.',
    task,
    ...(request ? [`<request>\n${request}\n</request>`] : []),
    '<context_before>\n\n</context_before>',
    `<selection>\n${selection}\n</selection>`,
    '<context_after>\n\n</context_after>',
  ].join('\n');

/** Every sentence the corpus can produce on `topic`, as regular expressions ({topic} may be any phrase). */
const corpusSentence = (template: string) => new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{topic\\\}/g, '.+')}$`);
const SENTENCES = corpus.continuations.map(corpusSentence);
const TAILS = corpus.tails.map(corpusSentence);

describe('AIDEMO1 the demo model continues in sentences from its corpus, on the document\'s topic', () => {
  test('same prompt, same text; another prompt, another text', () => {
    const prompt = continuePrompt('We are planning the spring sale. ');
    assert.equal(generateText(prompt), generateText(prompt));
    const outputs = new Set(['spring sale', 'new newsletter', 'product page', 'winter campaign', 'launch party'].map((t) => generateText(continuePrompt(`Notes on the ${t}.`))));
    assert.ok(outputs.size >= 4, `different contexts give different text: ${[...outputs].join(' | ')}`);
  });

  test('after a finished sentence: whole corpus sentences, reusing a phrase of the document', () => {
    for (const before of ['Introducing the spring sale.', 'Our newsletter goes out on Fridays.', 'Meet the product page.']) {
      const text = generateText(continuePrompt(before));
      assert.match(text, /^ [A-Z]/, 'a space, then a capital');
      const sentences = text.trim().split(/(?<=[.!?]) /);
      for (const sentence of sentences) assert.ok(SENTENCES.some((s) => s.test(sentence.trim())), `${JSON.stringify(sentence)} is a corpus sentence`);
    }
    assert.deepEqual(topicsOf('Introducing the spring sale, with our Copycloud editor. NEW deals'), ['spring sale', 'Copycloud editor']);
    const topical = ['spring sale', 'newsletter', 'product page'].filter((topic) =>
      [0, 1, 2, 3, 4, 5].some((n) => generateText(continuePrompt(`${'Notes. '.repeat(n)}We talk about the ${topic}.`)).includes(topic)),
    );
    assert.deepEqual(topical, ['spring sale', 'newsletter', 'product page'], 'the document\'s own phrase comes back');
  });

  test('an open sentence is finished first (with a space when the cursor follows a word), never by repeating the document', () => {
    const text = generateText(continuePrompt('Spring sale copy for the launch'));
    assert.match(text, /^ [a-z]/);
    const first = text.trim().match(/^[^.!?]+[.!?]/)![0];
    assert.ok(TAILS.some((t) => t.test(first)), `${JSON.stringify(first)} is a corpus phrase that ends a sentence`);
    assert.match(generateText(continuePrompt('Spring sale copy for the launch ')), /^[a-z]/, 'no second space after one already typed');
    const before = corpus.continuations.map((c) => c.replaceAll('{topic}', 'launch')).join(' ');
    const again = generateText(continuePrompt(`We write the launch. ${before}`));
    assert.ok(!before.includes(again.trim().split(/(?<=[.!?]) /)[0]!), 'a sentence the document already has is not suggested');
  });

  test('an empty document gets a sentence too; any other prompt is continued as text', () => {
    assert.match(generateText(continuePrompt('')), /^[A-Z][^\n]+[.!?]$/);
    assert.match(generateText('Say something about coffee'), /^ [a-z ,'-]+\.( [A-Z][^\n]+[.!?])?$/);
  });
});

describe('AIDEMO2 the demo model rewrites the selection as asked', () => {
  const rewrite = (task: string, selection: string, request?: string) => generateText(rewritePrompt(task, selection, request));

  test('the task is read from the instructions, never from the document', () => {
    assert.deepEqual(readTask(rewritePrompt('Rewrite the selection shorter: keep its meaning.', 'Make it friendlier and longer')), {
      kind: 'rewrite',
      style: 'shorter',
      selection: 'Make it friendlier and longer',
    });
    assert.deepEqual(readTask(rewritePrompt('Rewrite following the request inside <request>.', 'Hello there', 'more formal please')), {
      kind: 'rewrite',
      style: 'professional',
      selection: 'Hello there',
    });
    assert.equal(readTask(continuePrompt('Write exactly 3 alternative headlines')).kind, 'continue');
  });

  test('shorter drops fillers, wordy phrases and a trailing clause', () => {
    assert.equal(rewrite('Rewrite the selection shorter.', 'Our product is good and it is also cheap.'), 'Our product is good.');
    const long = 'We really want to help you in order to save a lot of time (and money), because your team is busy. Every launch needs clear copy. Nobody reads long pages.';
    const short = rewrite('Rewrite the selection shorter.', long);
    assert.ok(short.split(' ').length <= (long.split(' ').length * 2) / 3, short);
    assert.match(short, /^We want to help you to save many time\./);
  });

  test('professional expands contractions and calms exclamation marks; friendlier contracts', () => {
    assert.equal(rewrite('Rewrite in a more professional, polished tone.', "We're sure you'll love it, don't wait!"), 'We are sure you will love it, do not wait.');
    const friendly = rewrite('Rewrite in a warmer, friendlier tone.', 'It is ready and we are excited to assist you.');
    assert.match(friendly, /[Ii]t's ready and we're excited to help you!$/);
  });

  test('fix grammar corrects spelling, doubled words, "i", spacing and the sentence end', () => {
    assert.equal(rewrite('Fix spelling, grammar and punctuation in the selection.', 'i beleive teh the launch is tommorow ,right'), 'I believe the launch is tomorrow, right.');
  });

  test('longer and persuasive keep the text and add corpus sentences', () => {
    const original = 'Our coffee is roasted in town.';
    const longer = rewrite('Rewrite the selection longer: expand it.', original);
    assert.ok(longer.startsWith(original) && longer.split(' ').length >= original.split(' ').length * 1.5, longer);
    const persuasive = rewrite('Rewrite the selection to be more persuasive: lead with the benefit, end with a call to action.', original);
    assert.ok(persuasive.includes(original), persuasive);
    assert.ok(corpus.calls.some((call) => persuasive.endsWith(call)), persuasive);
  });

  test('paragraphs are rewritten one by one, their breaks kept', () => {
    assert.equal(rewrite('Fix spelling and grammar.', 'teh first\n\nteh second'), 'The first\n\nThe second');
  });
});

describe('AIDEMO3 headline variants', () => {
  test('exactly as many as asked, distinct, one per line, on the selection\'s topic', () => {
    for (const count of [3, 4, 5]) {
      const text = generateText(rewritePrompt(`Write exactly ${count} alternative headlines for the selection, one per line.`, 'Our spring sale starts on Monday.'));
      const lines = text.split('\n');
      assert.equal(lines.length, count, text);
      assert.equal(new Set(lines).size, count);
      for (const line of lines) assert.ok(line.includes('Spring Sale') && line === line.trim(), line);
    }
  });
});

describe('AIDEMO4 tokens and streaming', () => {
  test('the tokens join to the text; a scenario length appends sentences, and its start is the natural text', () => {
    const prompt = continuePrompt('Our launch');
    const natural = generateTokens(prompt);
    assert.equal(natural.join(''), generateText(prompt));
    const sixty = generateTokens(prompt, 60);
    assert.equal(sixty.length, 60);
    assert.deepEqual(sixty.slice(0, natural.length), natural);
    assert.deepEqual(generateTokens(prompt, 3), natural.slice(0, 3));
  });

  test('the server streams the same words in SSE chunks (chat completions), cut at max_tokens', async () => {
    const fake = await startFakeOpenAI();
    try {
      const messages = [{ role: 'system', content: 'Continue the document at the cursor.' }, { role: 'user', content: '<document_before_cursor>\nOur launch\n</document_before_cursor>' }];
      const response = await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'demo-model', stream: true, messages }) });
      assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
      const frames = (await response.text()).split('\n\n').filter(Boolean);
      assert.equal(frames.at(-1), 'data: [DONE]');
      const deltas = frames.slice(0, -1).map((f) => JSON.parse(f.slice('data: '.length)) as { choices: Array<{ delta: { content?: string } }> });
      const text = deltas.map((d) => d.choices[0]?.delta.content ?? '').join('');
      const prompt = messages.map((m) => m.content).join('\n');
      assert.equal(text, generateText(prompt));
      assert.ok(deltas.length > 4, 'word by word');

      const cut = await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'demo-model', max_tokens: 2, messages }) });
      const body = (await cut.json()) as { choices: Array<{ message: { content: string } }> };
      assert.equal(body.choices[0]!.message.content, generateTokens(prompt).slice(0, 2).join(''));
    } finally {
      await fake.close();
    }
  });
});

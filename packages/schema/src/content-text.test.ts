import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { readContentText, SUGGESTION_DELETE_ATTRIBUTE } from './content-text.js';
import { SUGGESTION_DELETE_MARK } from './suggestion-marks.js';

/** Two paragraphs; "old " in the second is proposed for deletion. */
function documentWithSuggestion(): { doc: Y.Doc; second: Y.XmlText } {
  const doc = new Y.Doc();
  const first = new Y.XmlElement('paragraph');
  const second = new Y.XmlElement('paragraph');
  doc.getXmlFragment('default').insert(0, [first, second]);
  first.insert(0, [new Y.XmlText('Title')]);
  const text = new Y.XmlText('an old word');
  second.insert(0, [text]);
  text.format(3, 4, { [SUGGESTION_DELETE_ATTRIBUTE]: { id: 's1' } });
  return { doc, second: text };
}

describe('readContentText: one reading of the text for comments and prompts', () => {
  it('by default: blocks on their own line, proposed deletions kept (what a comment quotes)', () => {
    const { doc, second } = documentWithSuggestion();
    const content = readContentText(doc);
    assert.equal(content.text, 'Title\nan old word');
    assert.equal(content.offsetOf({ type: second, index: 7, assoc: 0 } as Y.AbsolutePosition), 'Title\n'.length + 7);
  });

  it('for prompts: a blank line between blocks, text proposed for deletion left out, positions inside it mapped to where it was', () => {
    const { doc, second } = documentWithSuggestion();
    const content = readContentText(doc, { blockSeparator: '\n\n', withoutProposedDeletions: true });
    assert.equal(content.text, 'Title\n\nan word');
    const at = (index: number) => content.offsetOf({ type: second, index, assoc: 0 } as Y.AbsolutePosition);
    assert.equal(at(5), 'Title\n\nan '.length);
    assert.equal(at(9), 'Title\n\nan wo'.length);
  });

  it('reads the attribute the suggestion mark writes', () => {
    assert.equal(SUGGESTION_DELETE_ATTRIBUTE, SUGGESTION_DELETE_MARK);
  });
});

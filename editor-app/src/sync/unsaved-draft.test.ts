import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { stateVectorOf } from './pending-changes.js';
import { unsavedDraftText } from './unsaved-draft.js';

function paragraph(doc: Y.Doc, text: string): Y.XmlText {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  p.insert(0, [t]);
  doc.getXmlFragment('default').push([p]);
  t.insert(0, text);
  return t;
}

describe('the unsaved draft is the text the node did not acknowledge', () => {
  test('EDIT1 only text typed after the durable vector, by local authors, still present', () => {
    const doc = new Y.Doc();
    const first = paragraph(doc, 'Saved words.');
    const durable = stateVectorOf(doc);
    first.insert(first.length, ' Typed after the demotion');
    first.delete(first.length - ' demotion'.length, ' demotion'.length);
    const second = paragraph(doc, 'Second line');
    const draft = unsavedDraftText(doc, durable, new Set([doc.clientID]));
    assert.equal(draft, ' Typed after the\nSecond line');
    second.delete(0, second.length);
    assert.equal(unsavedDraftText(doc, durable, new Set([doc.clientID])), ' Typed after the');
  });

  test('EDIT1 someone else’s text and fully durable text are never part of the draft', () => {
    const mine = new Y.Doc();
    const theirs = new Y.Doc();
    paragraph(theirs, 'Their words');
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    assert.equal(unsavedDraftText(mine, new Map(), new Set([mine.clientID])), '');
    paragraph(mine, 'Mine');
    assert.equal(unsavedDraftText(mine, stateVectorOf(mine), new Set([mine.clientID])), '');
    assert.equal(unsavedDraftText(mine, new Map(), new Set([mine.clientID])), 'Mine');
  });
});

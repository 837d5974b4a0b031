import * as Y from 'yjs';

/**
 * A Y.Doc shaped the way the editor stores content (Tiptap Collaboration's
 * `default` XmlFragment): one paragraph element per string, empty strings
 * giving empty paragraphs.
 */
export function paragraphsDoc(paragraphs: readonly string[]): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment('default').insert(
    0,
    paragraphs.map((text) => {
      const paragraph = new Y.XmlElement('paragraph');
      if (text) paragraph.insert(0, [new Y.XmlText(text)]);
      return paragraph;
    }),
  );
  return doc;
}

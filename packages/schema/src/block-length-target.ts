import { Extension } from '@tiptap/core';

/**
 * An optional length target for one block ("this line is an ad headline:
 * 30 characters"), as an attribute of the block itself: a paragraph's or
 * heading's `lengthTarget`, a whole number of characters, null for none.
 *
 * Why on the block and not in the document's `settings` map keyed by a
 * block id: the attribute lives in the block's own Y.XmlElement, so it
 * follows the block through everyone's concurrent typing and moves, goes
 * away with the block (no orphaned entries), comes back with it on a version
 * restore, and two people setting it at once converge on one value (a Yjs
 * map key). The schema has no stable block ids; adding them would put an
 * attribute on the block anyway, plus duplicated ids on split and paste.
 *
 * Exports stay clean: the attribute is not rendered to HTML (so neither
 * HTML, Markdown, DOCX nor the clipboard carry it), and Enter does not copy
 * it to the next block (`keepOnSplit: false`).
 */
export const BLOCK_LENGTH_TARGET_ATTRIBUTE = 'lengthTarget';
/** Block types that can carry a target: the text blocks a copywriter writes a line of copy in. */
export const BLOCK_LENGTH_TARGET_TYPES = ['paragraph', 'heading'] as const;
export const MIN_BLOCK_TARGET_CHARACTERS = 1;
export const MAX_BLOCK_TARGET_CHARACTERS = 1_000_000;

/** The stored value as a target, or null: anything but a whole number in range reads as "no target". */
export function parseBlockLengthTarget(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_BLOCK_TARGET_CHARACTERS && value <= MAX_BLOCK_TARGET_CHARACTERS ? value : null;
}

export const BlockLengthTarget = Extension.create({
  name: 'blockLengthTarget',
  addGlobalAttributes() {
    return [
      {
        types: [...BLOCK_LENGTH_TARGET_TYPES],
        attributes: {
          [BLOCK_LENGTH_TARGET_ATTRIBUTE]: {
            default: null,
            keepOnSplit: false,
            rendered: false,
          },
        },
      },
    ];
  },
});

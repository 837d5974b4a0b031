import type { ChainedCommands } from '@tiptap/core';
import type { BlockKind } from './slash-items.js';

/** The default size of an inserted table: a header row and two body rows. */
export const NEW_TABLE = { rows: 3, cols: 3, withHeaderRow: true } as const;

/**
 * Turns the current block into `kind` (or inserts it after, for a divider
 * and a table) as part of `chain`. An image only asks for a file here
 * (`pickImage`): it is inserted once it is uploaded.
 */
export function applyBlock(chain: ChainedCommands, kind: BlockKind, pickImage: () => void): void {
  switch (kind) {
    case 'heading-1':
      chain.setHeading({ level: 1 }).run();
      return;
    case 'heading-2':
      chain.setHeading({ level: 2 }).run();
      return;
    case 'heading-3':
      chain.setHeading({ level: 3 }).run();
      return;
    case 'bullet-list':
      chain.toggleBulletList().run();
      return;
    case 'ordered-list':
      chain.toggleOrderedList().run();
      return;
    case 'task-list':
      chain.toggleTaskList().run();
      return;
    case 'quote':
      chain.setBlockquote().run();
      return;
    case 'divider':
      chain.setHorizontalRule().run();
      return;
    case 'table':
      chain.insertTable(NEW_TABLE).run();
      return;
    case 'code-block':
      chain.setCodeBlock().run();
      return;
    case 'image':
      chain.run();
      pickImage();
      return;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown block kind ${String(unreachable)}`);
    }
  }
}

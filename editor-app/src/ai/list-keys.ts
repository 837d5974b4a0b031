import type { NodeType } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';

/** The list item types Tab indents and Shift+Tab outdents (StarterKit's bullets/numbers, task lists). */
export const LIST_ITEM_TYPES: readonly string[] = ['listItem', 'taskItem'];

/**
 * The type of the innermost list item holding the cursor, or null outside
 * lists. In a list, Tab belongs to indentation, never to an AI suggestion.
 */
export function listItemTypeAt(state: EditorState): NodeType | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const type = $from.node(depth).type;
    if (LIST_ITEM_TYPES.includes(type.name)) return type;
  }
  return null;
}

import { useEditorState, type Editor } from '@tiptap/react';
import { Redo2, Undo2 } from 'lucide-react';
import { SuggestingControls } from '../suggestions/SuggestingControls.js';
import { FormatGroups } from '../insert/FormatGroups.js';
import { IconButton } from '../insert/IconButton.js';

export function Toolbar({ editor }: { editor: Editor }) {
  // Re-render only when undo/redo availability changes (the formatting groups watch their own state).
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      canUndo: current.can().undo(),
      canRedo: current.can().redo(),
    }),
  });

  const chain = () => editor.chain().focus();

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      <div className="toolbar__group">
        <IconButton icon={Undo2} title="Undo (Ctrl+Z)" testId="undo" disabled={!state.canUndo} onPress={() => chain().undo().run()} />
        <IconButton icon={Redo2} title="Redo (Ctrl+Shift+Z)" testId="redo" disabled={!state.canRedo} onPress={() => chain().redo().run()} />
      </div>
      <FormatGroups editor={editor} />
      <SuggestingControls editor={editor} />
    </div>
  );
}

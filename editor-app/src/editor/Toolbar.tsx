import type { ReactNode } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import { Redo2, Undo2 } from 'lucide-react';
import { SuggestingControls } from '../suggestions/SuggestingControls.js';
import { FormatGroups } from '../insert/FormatGroups.js';

interface ToolbarButtonProps {
  readonly label: ReactNode;
  readonly title: string;
  readonly testId: string;
  readonly active?: boolean;
  readonly disabled?: boolean;
  readonly onPress: () => void;
}

function ToolbarButton({ label, title, testId, active = false, disabled = false, onPress }: ToolbarButtonProps) {
  return (
    <button
      type="button"
      className={active ? 'toolbar__button toolbar__button--active' : 'toolbar__button'}
      title={title}
      aria-label={title}
      aria-pressed={active}
      data-testid={testId}
      disabled={disabled}
      // Keep the editor's selection: a mousedown on a button would blur it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onPress}
    >
      {label}
    </button>
  );
}

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
        <ToolbarButton label={<Undo2 size={16} />} title="Undo (Ctrl+Z)" testId="undo" disabled={!state.canUndo} onPress={() => chain().undo().run()} />
        <ToolbarButton label={<Redo2 size={16} />} title="Redo (Ctrl+Shift+Z)" testId="redo" disabled={!state.canRedo} onPress={() => chain().redo().run()} />
      </div>
      <FormatGroups editor={editor} />
      <SuggestingControls editor={editor} />
    </div>
  );
}

import type { ReactNode } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import { SuggestingControls } from '../suggestions/SuggestingControls.js';

/** Drawn inline: an emoji would depend on the fonts installed on the machine. */
const LinkIcon = (
  <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d="M10 13a5 5 0 0 0 7.54.54l3-3a5 5 0 0 0-7.07-7.07l-1.72 1.71" />
    <path d="M14 11a5 5 0 0 0-7.54-.54l-3 3a5 5 0 0 0 7.07 7.07l1.71-1.71" />
  </svg>
);

/** Icons, not letters, where the button's name is words ("Heading 1"): visible text must be part of the name (WCAG 2.5.3). */
const icon = (paths: readonly string[]) => (
  <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    {paths.map((d) => (
      <path key={d} d={d} />
    ))}
  </svg>
);
const Heading1Icon = icon(['M4 6v12', 'M12 6v12', 'M4 12h8', 'M17 11l3-2v9']);
const Heading2Icon = icon(['M4 6v12', 'M12 6v12', 'M4 12h8', 'M16 11a2 2 0 1 1 4 0c0 1.5-4 3.5-4 7h4']);
const NumberedListIcon = icon(['M10 6h11', 'M10 12h11', 'M10 18h11', 'M4 6h1v4', 'M4 10h2', 'M6 18H4c0-1 2-2 2-3s-1-1.5-2-1']);

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
  // Re-render the toolbar only when what it shows changes, not on every keystroke.
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      bold: current.isActive('bold'),
      italic: current.isActive('italic'),
      h1: current.isActive('heading', { level: 1 }),
      h2: current.isActive('heading', { level: 2 }),
      bulletList: current.isActive('bulletList'),
      orderedList: current.isActive('orderedList'),
      codeBlock: current.isActive('codeBlock'),
      link: current.isActive('link'),
      canUndo: current.can().undo(),
      canRedo: current.can().redo(),
    }),
  });

  const chain = () => editor.chain().focus();

  const editLink = () => {
    const previous = editor.getAttributes('link')['href'];
    const href = window.prompt('Link address (empty to remove)', typeof previous === 'string' ? previous : 'https://');
    if (href === null) return; // cancelled
    if (href.trim() === '') {
      chain().extendMarkRange('link').unsetLink().run();
      return;
    }
    chain().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      <div className="toolbar__group">
        <ToolbarButton label="↶" title="Undo (Ctrl+Z)" testId="undo" disabled={!state.canUndo} onPress={() => chain().undo().run()} />
        <ToolbarButton label="↷" title="Redo (Ctrl+Shift+Z)" testId="redo" disabled={!state.canRedo} onPress={() => chain().redo().run()} />
      </div>
      <div className="toolbar__group">
        <ToolbarButton label="B" title="Bold (Ctrl+B)" testId="bold" active={state.bold} onPress={() => chain().toggleBold().run()} />
        <ToolbarButton label="I" title="Italic (Ctrl+I)" testId="italic" active={state.italic} onPress={() => chain().toggleItalic().run()} />
        <ToolbarButton label={LinkIcon} title="Link" testId="link" active={state.link} onPress={editLink} />
      </div>
      <div className="toolbar__group">
        <ToolbarButton label={Heading1Icon} title="Heading 1" testId="heading-1" active={state.h1} onPress={() => chain().toggleHeading({ level: 1 }).run()} />
        <ToolbarButton label={Heading2Icon} title="Heading 2" testId="heading-2" active={state.h2} onPress={() => chain().toggleHeading({ level: 2 }).run()} />
      </div>
      <div className="toolbar__group">
        <ToolbarButton label="•" title="Bullet list" testId="bullet-list" active={state.bulletList} onPress={() => chain().toggleBulletList().run()} />
        <ToolbarButton label={NumberedListIcon} title="Numbered list" testId="ordered-list" active={state.orderedList} onPress={() => chain().toggleOrderedList().run()} />
        <ToolbarButton label="</>" title="Code block" testId="code-block" active={state.codeBlock} onPress={() => chain().toggleCodeBlock().run()} />
      </div>
      <SuggestingControls editor={editor} />
    </div>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { anchorAt, resolveAnchor, type YAnchor } from '../ai/yjs-positions.js';
import { useEditorState, type Editor } from '@tiptap/react';
import {
  Bold,
  Code,
  Heading1,
  Heading2,
  Heading3,
  ImagePlus,
  Italic,
  Link,
  List,
  ListOrdered,
  ListTodo,
  Minus,
  Quote,
  SquareCode,
  Strikethrough,
  Table,
  Underline,
} from 'lucide-react';
import { NEW_TABLE } from './block-commands.js';
import { IconButton } from './IconButton.js';
import { LinkDialog } from './LinkDialog.js';
import { TableControls } from './TableControls.js';

/**
 * The toolbar's formatting groups: every mark and block of the shared schema
 * with an icon, the link dialog (also on Ctrl+K) and, while the cursor is in
 * a table, the table controls.
 */
export function FormatGroups({ editor }: { editor: Editor }) {
  // Re-render only when what the buttons show changes, not on every keystroke.
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      bold: current.isActive('bold'),
      italic: current.isActive('italic'),
      underline: current.isActive('underline'),
      strike: current.isActive('strike'),
      code: current.isActive('code'),
      link: current.isActive('link'),
      h1: current.isActive('heading', { level: 1 }),
      h2: current.isActive('heading', { level: 2 }),
      h3: current.isActive('heading', { level: 3 }),
      bulletList: current.isActive('bulletList'),
      orderedList: current.isActive('orderedList'),
      taskList: current.isActive('taskList'),
      quote: current.isActive('blockquote'),
      codeBlock: current.isActive('codeBlock'),
      inTable: current.isActive('table'),
      headerRow: current.isActive('tableHeader'),
    }),
  });
  const [linkOpen, setLinkOpenState] = useState(false);
  // The dialog takes the focus: remember the text it is about, as Yjs
  // relative positions, so the link lands on those words even if the editor's
  // selection moved meanwhile (focus changes, a collaborator's edit).
  const linkTarget = useRef<{ from: YAnchor; to: YAnchor } | null>(null);
  const setLinkOpen = useCallback((open: boolean) => {
    if (open) {
      const { from, to } = selectedRange(editor);
      const [start, end] = [anchorAt(editor.state, from), anchorAt(editor.state, to)];
      linkTarget.current = from < to && start && end ? { from: start, to: end } : null;
    }
    setLinkOpenState(open);
  }, [editor]);
  /** The remembered words, back as positions in the current document (null: none, or they are gone). */
  const linkRange = (): { from: number; to: number } | null => {
    const target = linkTarget.current;
    if (!target) return null;
    const from = resolveAnchor(editor.state, target.from);
    const to = resolveAnchor(editor.state, target.to);
    return from !== null && to !== null && from < to ? { from, to } : null;
  };

  useEffect(() => {
    // Ctrl+K / Cmd+K opens the link dialog from the text.
    const dom = editor.view.dom;
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setLinkOpen(true);
      }
    };
    dom.addEventListener('keydown', onKeyDown);
    return () => dom.removeEventListener('keydown', onKeyDown);
  }, [editor, setLinkOpen]);

  const chain = () => editor.chain().focus();
  const previousHref = editor.getAttributes('link')['href'];

  return (
    <>
      <div className="toolbar__group" role="group" aria-label="Text style">
        <IconButton icon={Bold} title="Bold (Ctrl+B)" testId="bold" active={state.bold} onPress={() => chain().toggleBold().run()} />
        <IconButton icon={Italic} title="Italic (Ctrl+I)" testId="italic" active={state.italic} onPress={() => chain().toggleItalic().run()} />
        <IconButton icon={Underline} title="Underline (Ctrl+U)" testId="underline" active={state.underline} onPress={() => chain().toggleUnderline().run()} />
        <IconButton icon={Strikethrough} title="Strikethrough (Ctrl+Shift+S)" testId="strike" active={state.strike} onPress={() => chain().toggleStrike().run()} />
        <IconButton icon={Code} title="Inline code (Ctrl+E)" testId="inline-code" active={state.code} onPress={() => chain().toggleCode().run()} />
        <IconButton icon={Link} title="Link (Ctrl+K)" testId="link" active={state.link || linkOpen} onPress={() => setLinkOpen(true)} />
      </div>
      <div className="toolbar__group" role="group" aria-label="Headings">
        <IconButton icon={Heading1} title="Heading 1" testId="heading-1" active={state.h1} onPress={() => chain().toggleHeading({ level: 1 }).run()} />
        <IconButton icon={Heading2} title="Heading 2" testId="heading-2" active={state.h2} onPress={() => chain().toggleHeading({ level: 2 }).run()} />
        <IconButton icon={Heading3} title="Heading 3" testId="heading-3" active={state.h3} onPress={() => chain().toggleHeading({ level: 3 }).run()} />
      </div>
      <div className="toolbar__group" role="group" aria-label="Blocks">
        <IconButton icon={List} title="Bullet list" testId="bullet-list" active={state.bulletList} onPress={() => chain().toggleBulletList().run()} />
        <IconButton icon={ListOrdered} title="Numbered list" testId="ordered-list" active={state.orderedList} onPress={() => chain().toggleOrderedList().run()} />
        <IconButton icon={ListTodo} title="Task list" testId="task-list" active={state.taskList} onPress={() => chain().toggleTaskList().run()} />
        <IconButton icon={Quote} title="Quote" testId="quote" active={state.quote} onPress={() => chain().toggleBlockquote().run()} />
        <IconButton icon={SquareCode} title="Code block" testId="code-block" active={state.codeBlock} onPress={() => chain().toggleCodeBlock().run()} />
      </div>
      <div className="toolbar__group" role="group" aria-label="Insert">
        <IconButton icon={Minus} title="Divider" testId="divider" onPress={() => chain().setHorizontalRule().run()} />
        <IconButton icon={Table} title="Table" testId="insert-table" disabled={state.inTable} onPress={() => chain().insertTable(NEW_TABLE).run()} />
        <IconButton icon={ImagePlus} title="Image" testId="insert-image" onPress={() => editor.commands.pickImage()} />
      </div>
      {state.inTable && <TableControls editor={editor} headerRow={state.headerRow} />}
      {linkOpen && (
        <LinkDialog
          initialHref={typeof previousHref === 'string' ? previousHref : ''}
          onCancel={() => {
            setLinkOpen(false);
            editor.commands.focus();
          }}
          onApply={(href) => {
            setLinkOpen(false);
            const range = linkRange();
            if (href === null) chain().extendMarkRange('link').unsetLink().run();
            else if (range) chain().setTextSelection(range).setLink({ href }).run();
            else if (editor.state.selection.empty && !state.link) chain().insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
            else chain().extendMarkRange('link').setLink({ href }).run();
          }}
        />
      )}
    </>
  );
}

/**
 * The selected range, read from the page when ProseMirror has not taken in
 * the browser's latest selection yet (a word selected with Ctrl+Shift+← and
 * Ctrl+K pressed right after: the selection change is read on a later tick).
 */
function selectedRange(editor: Editor): { from: number; to: number } {
  const { from, to } = editor.state.selection;
  const dom = typeof window === 'undefined' ? null : window.getSelection();
  if (from < to || !dom || dom.isCollapsed || !dom.anchorNode || !dom.focusNode) return { from, to };
  if (!editor.view.dom.contains(dom.anchorNode) || !editor.view.dom.contains(dom.focusNode)) return { from, to };
  const anchor = editor.view.posAtDOM(dom.anchorNode, dom.anchorOffset);
  const focus = editor.view.posAtDOM(dom.focusNode, dom.focusOffset);
  return { from: Math.min(anchor, focus), to: Math.max(anchor, focus) };
}

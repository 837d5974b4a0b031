import { useEffect } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { DocumentSession } from '../sync/document-session.js';
import type { UserIdentity } from '../identity/guest-identity.js';
import { renderCaret, renderSelection } from './carets.js';
import { Toolbar } from './Toolbar.js';
import { AiAuthored } from '../ai/ai-authored-mark.js';
import type { AiTokenSource } from '../ai/ai-client.js';
import { AiFeatures } from '../ai/AiFeatures.js';
import { GhostText } from '../ai/ghost-text.js';
import { useAiEditorContext } from '../ai/use-ai-editor.js';

interface CollaborativeEditorProps {
  readonly session: DocumentSession;
  readonly user: UserIdentity;
  /** Access token for AI requests; none = requests go without one (refused unless the server runs open). */
  readonly aiAccessToken?: AiTokenSource;
  /** False for viewers/commenters and after access is lost: the editor takes no input and shows no toolbar. */
  readonly editable?: boolean;
}

/**
 * The rich-text editor bound to the session's Y.Doc. Mount it with
 * `key={session.documentId}`: the extensions capture the document and
 * provider once, so a different document needs a fresh editor.
 */
export function CollaborativeEditor({ session, user, aiAccessToken = noAccessToken, editable = true }: CollaborativeEditorProps) {
  const ai = useAiEditorContext(session, aiAccessToken);
  const editor = useEditor({
    editable,
    extensions: [
      StarterKit.configure({
        // Collaboration brings a Yjs undo manager that only undoes my own
        // changes; ProseMirror's history would undo other people's too.
        undoRedo: false,
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
      }),
      // Its keymap binds Mod-Z to undo and Shift-Mod-Z / Mod-Y to redo.
      Collaboration.configure({ document: session.ydoc }),
      CollaborationCaret.configure({
        provider: session.provider,
        user: { name: user.name, color: user.color },
        render: renderCaret,
        selectionRender: renderSelection,
      }),
      // Always in the schema, so AI attribution is kept even where AI is off.
      AiAuthored,
      GhostText.configure({ context: ai }),
    ],
    editorProps: {
      attributes: { class: 'editor__content', 'data-testid': 'editor', spellcheck: 'true', 'aria-label': 'Document' },
    },
  });

  useEffect(() => {
    // The node drops a read-only connection's updates anyway; this keeps typing from appearing locally.
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  return (
    <div className="editor">
      {editable && <Toolbar editor={editor} />}
      <AiFeatures editor={editor} context={ai} />
      <EditorContent editor={editor} className="editor__page" />
    </div>
  );
}

const noAccessToken: AiTokenSource = async () => null;

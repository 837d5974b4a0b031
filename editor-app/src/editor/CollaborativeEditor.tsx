import { useEffect, useMemo, useRef } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { DocumentSession } from '../sync/document-session.js';
import type { UserIdentity } from '../identity/guest-identity.js';
import { renderCaret, renderSelection, showCaretLabelsOnActivity } from './carets.js';
import { Toolbar } from './Toolbar.js';
import { documentExtensions } from '@copycloud/schema/extensions';
import type { AiTokenSource } from '../ai/ai-client.js';
import { AiFeatures } from '../ai/AiFeatures.js';
import { GhostText } from '../ai/ghost-text.js';
import { useAiEditorContext } from '../ai/use-ai-editor.js';
import { AutoSuggestSetting, browserStorage } from '../ai/suggestion-settings.js';
import { clearUndoOnRestore } from '../history/restore-undo.js';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import { CommentsFeature, type CommentsSetup } from '../comments/CommentsFeature.js';
import { Suggesting } from '../suggestions/suggesting-extension.js';
import { SuggestionPopover } from '../suggestions/SuggestionPopover.js';
import { browserSessionStorage, EditingModeMemory } from '../suggestions/mode-memory.js';
import { CountsStatusLine } from '../counts/CountsStatusLine.js';
import { BlockTargetIndicators } from '../counts/block-targets.js';
import { SlashCommand } from '../insert/slash-command.js';
import { Placeholder } from '@tiptap/extensions';
import { ImageUploads } from '../images/image-uploads.js';
import { ImageUploader } from '../images/image-uploader.js';
import { AuthenticatedImageSources } from '../images/image-sources.js';
import { UploadStore } from '../images/upload-store.js';
import { ImageUploadsStrip } from '../images/ImageUploadsStrip.js';
import { PasteFidelity } from '../paste/paste-fidelity.js';
import { PastedImageUploader } from '../paste/pasted-image-uploader.js';
import '../paste/paste.css';
import '../insert/insert.css';

interface CollaborativeEditorProps {
  readonly session: DocumentSession;
  readonly user: UserIdentity;
  /** Access token for AI requests; none = requests go without one (refused unless the server runs open). */
  readonly aiAccessToken?: AiTokenSource;
  /** False for viewers/commenters and after access is lost: the editor takes no input and shows no toolbar. */
  readonly editable?: boolean;
  /** Comments (highlights, Comment button, side panel); also on read-only pages: commenters comment without typing. */
  readonly comments?: CommentsSetup;
  /** Access token for uploading and reading the document's images (the files API needs one). */
  readonly filesAccessToken?: AiTokenSource;
}

/**
 * The rich-text editor bound to the session's Y.Doc. Mount it with
 * `key={session.documentId}`: the extensions capture the document and
 * provider once, so a different document needs a fresh editor.
 */
export function CollaborativeEditor({ session, user, aiAccessToken = noAccessToken, editable = true, comments, filesAccessToken = noAccessToken }: CollaborativeEditorProps) {
  const ai = useAiEditorContext(session, aiAccessToken);
  // Per user: remembered in this browser under the account id.
  const autoSuggest = useMemo(() => new AutoSuggestSetting(ai.ui, browserStorage(), user.id), [ai, user.id]);
  useEffect(() => autoSuggest.load(), [autoSuggest]);
  // Suggesting mode records edits under this person's name (read per edit) and is remembered per document for the session.
  const userRef = useRef(user);
  userRef.current = user;
  const modeMemory = useMemo(() => new EditingModeMemory(browserSessionStorage()), []);
  // The image picker the slash menu opens (set once the upload feature mounts).
  const pickImageRef = useRef<() => void>(() => {});
  // Images: uploads (paste, drop, pick) and authenticated display (images/).
  const filesToken = useRef(filesAccessToken);
  filesToken.current = filesAccessToken;
  const images = useMemo(() => {
    const store = new UploadStore();
    const accessToken = () => filesToken.current();
    return {
      store,
      uploader: new ImageUploader({ documentId: session.documentId, accessToken, store }),
      sources: new AuthenticatedImageSources(accessToken),
      // Images inside pasted HTML (paste/): uploaded too, their progress and failures in the same strip.
      pasted: new PastedImageUploader({ documentId: session.documentId, accessToken, store }),
    };
  }, [session.documentId]);
  useEffect(() => () => images.sources.dispose(), [images]);
  const editor = useEditor({
    editable,
    extensions: [
      // The shared content schema (StarterKit without its undo history, the
      // AI-authored mark), the same one Node uses for export and restore.
      ...documentExtensions(),
      // Its keymap binds Mod-Z to undo and Shift-Mod-Z / Mod-Y to redo.
      Collaboration.configure({ document: session.ydoc }),
      CollaborationCaret.configure({
        provider: session.provider,
        user: { name: user.name, color: user.color },
        render: renderCaret,
        selectionRender: renderSelection,
      }),
      GhostText.configure({ context: ai }),
      Suggesting.configure({
        initialMode: modeMemory.load(session.documentId),
        author: () => ({ id: userRef.current.id ?? `guest:${userRef.current.name}`, name: userRef.current.name }),
        onModeChange: (mode) => modeMemory.save(session.documentId, mode),
      }),
      SlashCommand.configure({ pickImage: () => pickImageRef.current() }),
      ImageUploads.configure({ uploader: images.uploader, sources: images.sources }),
      // Faithful paste from Google Docs, Word and web pages; Ctrl+Shift+V for plain text (paste/).
      PasteFidelity.configure({ uploader: images.pasted }),
      Placeholder.configure({ placeholder: 'Start writing, or type "/" for headings, lists, tables and images…' }),
      // "n / limit" at the end of blocks that have a length target (counts/).
      BlockTargetIndicators,
    ],
    editorProps: {
      attributes: { class: 'editor__content', 'data-testid': 'editor', spellcheck: 'true', 'aria-label': 'Document' },
    },
  });

  useEffect(() => {
    // The node drops a read-only connection's updates anyway; this keeps typing from appearing locally.
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    if (!editor) return;
    // A restore (by anyone) ends this person's undo history: see restore-undo.ts.
    return clearUndoOnRestore(session.ydoc, () => (editor.isDestroyed ? null : yUndoPluginKey.getState(editor.state)?.undoManager));
  }, [editor, session.ydoc]);

  useEffect(() => {
    const awareness = session.provider.awareness;
    if (!editor || !awareness) return;
    // A caret's name label fades when its person pauses; show it again when they move or type.
    return showCaretLabelsOnActivity(awareness, () => (editor.isDestroyed ? null : editor.view.dom));
  }, [editor, session.provider]);

  return (
    <div className="editor">
      {editable && <Toolbar editor={editor} />}
      {/* Read-only and no-access pages offer no AI: nothing could be applied. */}
      {editable && <AiFeatures editor={editor} context={ai} autoSuggest={autoSuggest} />}
      {editable && <ImageUploadsStrip editor={editor} uploader={images.uploader} store={images.store} pickImageRef={pickImageRef} />}
      <EditorContent editor={editor} className="editor__page" />
      {comments && <CommentsFeature editor={editor} ydoc={session.ydoc} setup={comments} />}
      {editable && <SuggestionPopover editor={editor} />}
      <CountsStatusLine editor={editor} ydoc={session.ydoc} canSetTarget={editable} />
    </div>
  );
}

const noAccessToken: AiTokenSource = async () => null;

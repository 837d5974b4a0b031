import { getSchema, type AnyExtension } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { AiAuthored } from './ai-authored-mark.js';

export { AI_AUTHORED_MARK, AiAuthored, type AiAuthoredAttributes } from './ai-authored-mark.js';

/**
 * The Y.XmlFragment that holds the editor content: Tiptap Collaboration's
 * default `field`, as configured in editor-app (`Collaboration.configure({
 * document })` without a field).
 */
export const DOCUMENT_FIELD = 'default';

/**
 * The document's content extensions: one definition for the editor
 * (editor-app adds Collaboration, carets and its UI plugins on top) and for
 * Node (export, restore, AI context), so the two schemas cannot drift.
 * Browser-safe: imported by the editor as `@copycloud/schema/extensions`,
 * which pulls in none of the export code. Undo/redo is off: Collaboration
 * brings a Yjs undo manager that only undoes one's own changes.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
    }),
    AiAuthored,
  ];
}

let cachedSchema: Schema | undefined;

/** The ProseMirror schema built from `documentExtensions()`, built once per process. */
export function documentSchema(): Schema {
  cachedSchema ??= getSchema(documentExtensions());
  return cachedSchema;
}

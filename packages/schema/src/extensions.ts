import { getSchema, type AnyExtension } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { AiAuthored } from './ai-authored-mark.js';

/**
 * The Y.XmlFragment that holds the editor content: Tiptap Collaboration's
 * default `field`, as configured in editor-app (`Collaboration.configure({
 * document })` without a field).
 */
export const DOCUMENT_FIELD = 'default';

/**
 * The editor's content extensions, configured as editor-app configures them
 * (editor-app/src/editor/CollaborativeEditor.tsx). Only the schema matters in
 * Node: undo/redo is off there (Collaboration brings its own) and carets are
 * presence, not content.
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

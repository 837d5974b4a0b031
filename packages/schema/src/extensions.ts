import { getSchema, type AnyExtension } from '@tiptap/core';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { AiAuthored } from './ai-authored-mark.js';
import { BlockLengthTarget } from './block-length-target.js';
import { DocumentImage } from './image.js';
import { SuggestionDelete, SuggestionInsert } from './suggestion-marks.js';

export { AI_AUTHORED_MARK, AiAuthored, type AiAuthoredAttributes } from './ai-authored-mark.js';
export * from './suggestion-marks.js';
export * from './block-length-target.js';
export { DocumentImage, FILE_ID_PATTERN, IMAGE_NODE, appFileUrl, isAppFileUrl, parseAppFileUrl } from './image.js';

/**
 * The Y.XmlFragment that holds the editor content: Tiptap Collaboration's
 * default `field`, as configured in editor-app (`Collaboration.configure({
 * document })` without a field).
 */
export const DOCUMENT_FIELD = 'default';

/** Node type names the shared schema adds to StarterKit's (the editor's commands and export use these). */
export const TABLE_NODES = { table: 'table', row: 'tableRow', header: 'tableHeader', cell: 'tableCell' } as const;
export const TASK_NODES = { list: 'taskList', item: 'taskItem' } as const;

/**
 * The document's content extensions: one definition for the editor
 * (editor-app adds Collaboration, carets and its UI plugins on top) and for
 * Node (export, restore, AI context), so the two schemas cannot drift.
 * Browser-safe: imported by the editor as `@copycloud/schema/extensions`,
 * which pulls in none of the export code. Undo/redo is off: Collaboration
 * brings a Yjs undo manager that only undoes one's own changes.
 *
 * Tables are Tiptap's TableKit (table, tableRow, tableHeader, tableCell; a
 * header row is a row of tableHeader cells); column resizing is a view
 * plugin, off here: the editor may reconfigure `table` with `resizable: true`
 * without changing the schema (widths live in the cells' `colwidth`).
 * Task lists: taskList of taskItem (`checked`), nestable.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
    }),
    TableKit.configure({ table: { resizable: false } }),
    TaskList,
    TaskItem.configure({ nested: true }),
    DocumentImage,
    AiAuthored,
    // Suggesting mode (suggestion-marks.ts).
    SuggestionInsert,
    SuggestionDelete,
    // Per-block length targets (block-length-target.ts).
    BlockLengthTarget,
  ];
}

let cachedSchema: Schema | undefined;

/** The ProseMirror schema built from `documentExtensions()`, built once per process. */
export function documentSchema(): Schema {
  cachedSchema ??= getSchema(documentExtensions());
  return cachedSchema;
}

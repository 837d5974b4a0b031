export * from './extensions.js';
export * from './errors.js';
export * from './yjs-content.js';
export * from './restore-mark.js';
export * from './comments.js';
export * from './comments-export.js';
export * from './suggestion-writer.js';
export * from './export.js';
export type { JSONContent } from '@tiptap/core';

import type { DocumentRole } from './documents-api.js';

/** The server's limit (services/auth DOCUMENT_TITLE_MAX_CHARS). */
export const TITLE_MAX_CHARS = 200;
const FORBIDDEN = /[\p{Cc}\u2028\u2029]/u;

export type TitleEdit =
  /** Nothing to send: same title, or cleared (an empty title is not a name; the old one stays). */
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'save'; readonly title: string };

/** What to do with the header's title field when the user presses Enter or leaves it. */
export function titleEditOf(draft: string, current: string): TitleEdit {
  const title = draft.trim();
  if (title === '' || title === current) return { kind: 'unchanged' };
  if (title.length > TITLE_MAX_CHARS) return { kind: 'invalid', message: `A title can be at most ${TITLE_MAX_CHARS} characters.` };
  if (FORBIDDEN.test(title)) return { kind: 'invalid', message: 'A title cannot contain line breaks or control characters.' };
  return { kind: 'save', title };
}

/** Editors and owners rename; viewers, commenters and unknown roles see plain text. */
export function canRename(role: DocumentRole | null, readOnly: boolean): boolean {
  return !readOnly && (role === 'owner' || role === 'editor');
}

/** The browser tab: the document's name first, so many open tabs stay tellable apart. */
export function tabTitle(displayTitle: string): string {
  return `${displayTitle} – Copycloud`;
}

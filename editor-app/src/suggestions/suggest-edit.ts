import type { EditorState } from '@tiptap/pm/state';
import { SUGGESTION_LIMITS, type CreatedSuggestion, type CreateSuggestionRequest } from '@copycloud/protocol';
import { SUGGESTION_INSERT_MARK } from '@copycloud/schema/extensions';
import { anchorOfRange } from '../comments/comment-anchors.js';
import { ANCHOR_RETRY_MS, CommentsApiError } from '../comments/comments-api.js';

const ANCHOR_RETRY_STEP_MS = 250;

/** What "Suggest edit" may propose for the selection, or why it cannot. */
export type SuggestEditTarget =
  | { readonly ok: true; readonly from: string; readonly to: string; readonly quote: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The selection [from, to) as the positions `POST /api/docs/:id/suggestions`
 * takes (the comment anchor's: the start sticks to the first selected
 * character, the end to the last), checked the way the server's writer
 * checks it: one text block that takes suggestion marks (not a code block).
 */
export function suggestEditTarget(state: EditorState, from: number, to: number): SuggestEditTarget {
  if (to <= from) return { ok: false, reason: 'Select the words you want to change.' };
  const start = state.doc.resolve(from);
  const end = state.doc.resolve(to);
  if (start.parent !== end.parent || !start.parent.isTextblock) return { ok: false, reason: 'Select text within one paragraph to suggest an edit.' };
  const insert = state.schema.marks[SUGGESTION_INSERT_MARK];
  if (!insert || !start.parent.type.allowsMarkType(insert)) return { ok: false, reason: 'Code blocks take no suggestions; comment instead.' };
  const anchor = anchorOfRange(state, from, to);
  if (!anchor) return { ok: false, reason: 'The document is still loading; try again in a moment.' };
  return { ok: true, from: anchor.start, to: anchor.end, quote: state.doc.textBetween(from, to, ' ', ' ') };
}

/** The proposed text as the server takes it: one line (line breaks become spaces), bounded. */
export function normalizeSuggestedText(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Whether the dialog's text proposes anything (the same text as the selection proposes nothing). */
export function checkSuggestedText(quote: string, text: string): string | null {
  if (text === quote) return 'Change the text to suggest an edit (or empty it to suggest deleting it).';
  if (text.length > SUGGESTION_LIMITS.maxTextChars) return `At most ${SUGGESTION_LIMITS.maxTextChars.toLocaleString('en')} characters (this is ${text.length.toLocaleString('en')}).`;
  return null;
}

/** Words a person can act on, for a refused or failed suggestion. */
export function suggestEditErrorMessage(error: unknown): string {
  if (error instanceof CommentsApiError) {
    switch (error.status) {
      case 401:
        return 'Your session has ended. Sign in again to suggest edits.';
      case 403:
        return 'You can no longer suggest edits on this document (your access changed).';
      case 404:
        return 'This document is no longer available to you.';
      case 409:
        return 'The selected text has not reached the server yet. Try again in a moment.';
      case 413:
        return 'That suggestion is too long.';
      default:
        return error.status >= 500 ? 'The server could not save the suggestion. Try again.' : `The suggestion was refused: ${error.message}`;
    }
  }
  return 'Could not reach the server (offline?). Your suggestion was not sent.';
}

/**
 * `POST /api/docs/:id/suggestions` with the caller's token. The suggestion
 * comes back to every page, this one included, as a document update, so the
 * result needs no local application.
 */
export class SuggestionsApi {
  constructor(
    private readonly documentId: string,
    private readonly accessToken: () => Promise<string>,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** The selected words may have been typed a moment ago by someone and not be stored yet: a 409 is retried for a few seconds, as comments are. */
  async create(request: CreateSuggestionRequest): Promise<CreatedSuggestion> {
    const deadline = Date.now() + ANCHOR_RETRY_MS;
    for (;;) {
      try {
        return await this.post(request);
      } catch (error) {
        if (!(error instanceof CommentsApiError) || error.code !== 'anchor_not_found' || Date.now() > deadline) throw error;
        await this.sleep(ANCHOR_RETRY_STEP_MS);
      }
    }
  }

  private async post(request: CreateSuggestionRequest): Promise<CreatedSuggestion> {
    const response = await this.fetchFn(`/api/docs/${encodeURIComponent(this.documentId)}/suggestions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      const detail = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
      throw new CommentsApiError(response.status, detail.error ?? 'http_error', detail.message ?? `request failed with ${response.status}`);
    }
    return ((await response.json()) as { suggestion: CreatedSuggestion }).suggestion;
  }
}

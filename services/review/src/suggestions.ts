import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { roleAtLeast } from '@copycloud/auth-client';
import type { Sql } from '@copycloud/db';
import { ReviewOrigin, type CreatedSuggestion, type CreateSuggestionRequest, type SuggestionCreatedEvent } from '@copycloud/protocol';
import { clampQuote, decodeAnchorPosition, holdsPosition, locateAnchor } from '@copycloud/schema/comments';
import { readSuggestionAttributes, SUGGESTION_INSERT_MARK } from '@copycloud/schema/extensions';
import { SuggestionWriteError, writeSuggestion } from '@copycloud/schema/suggestion-writer';
import type { ReviewDelivery } from './delivery.js';
import { ReviewError } from './errors.js';
import type { Actor } from './review.js';

/** Who owns a document (the people told about suggestions on text whose writer is not recorded). */
export interface DocumentOwnerLookup {
  ownersOf(documentId: string): Promise<string[]>;
}

/** Owners from auth's `document_members` table (same database, read only). */
export class PostgresDocumentOwners implements DocumentOwnerLookup {
  constructor(private readonly db: Sql) {}

  async ownersOf(documentId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ user_id: string }>("SELECT user_id FROM document_members WHERE document_id = $1 AND role = 'owner' ORDER BY user_id", [documentId]);
    return rows.map((r) => r.user_id);
  }
}

export interface SuggestionDeps {
  delivery: ReviewDelivery;
  emit: (event: SuggestionCreatedEvent) => Promise<void>;
  owners: DocumentOwnerLookup;
  now?: () => Date;
  newId?: () => string;
}

/**
 * Suggestions made through the API (SUGGEST7-9): a commenter's socket is
 * read-only, so the server writes the suggestion for them, as a server
 * transaction with origin `review`, exactly as Suggesting mode would record
 * it (@copycloud/schema's `writeSuggestion`). Editors and owners may use it
 * too; viewers may not.
 */
export class Suggestions {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: SuggestionDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  async create(documentId: string, actor: Actor, input: CreateSuggestionRequest): Promise<CreatedSuggestion> {
    if (!roleAtLeast(actor.role, 'commenter')) throw new ReviewError('forbidden', `suggest: needs role commenter or above on this document, you are ${actor.role}`, 403);
    const from = decodeAnchorPosition(input.from);
    const to = decodeAnchorPosition(input.to);
    const badPosition = [...(from ? [] : ['from']), ...(to ? [] : ['to'])];
    if (!from || !to) {
      throw new ReviewError('invalid_request', `invalid request: ${badPosition.join(', ')} is not a position in the document content`, 400, badPosition.map((path) => ({ path, message: 'not a position in the document content' })));
    }
    const at = this.now().toISOString();
    const id = this.newId();
    const written = await this.deps.delivery.change(documentId, (doc) => {
      if (!holdsPosition(doc, from) || !holdsPosition(doc, to)) {
        throw new ReviewError('anchor_not_found', 'the selected text is not on the server yet (an edit not yet saved?); try again in a moment', 409);
      }
      // Read before writing: what is replaced, and whose proposals inside it are touched.
      const range = locateAnchor(doc, { start: input.from, end: input.to });
      const quote = range.kind === 'attached' ? clampQuote(range.text) : '';
      const proposers = proposersBetween(doc, from, to);
      try {
        const result = writeSuggestion(doc, { from, to, text: input.text, author: { id: actor.userId, name: actor.name }, time: at, id }, ReviewOrigin);
        return { quote, proposers, result };
      } catch (error) {
        // The writer checks everything before it writes: nothing of a refused suggestion is in the document.
        if (error instanceof SuggestionWriteError) {
          const path = error.code === 'invalid_text' || error.code === 'text_too_long' || error.code === 'empty_suggestion' ? 'text' : 'from';
          throw new ReviewError('invalid_request', `invalid request: ${error.message}`, 400, [{ path, message: `${error.code}: ${error.message}` }]);
        }
        throw error;
      }
    });
    const owners = await this.deps.owners.ownersOf(documentId);
    const textAuthorIds = [...new Set([...owners, ...written.proposers])].filter((userId) => userId !== actor.userId && userId !== '');
    const suggestion: CreatedSuggestion = { id, quote: written.quote, text: input.text, deletedChars: written.result.deletedChars, insertedChars: written.result.insertedChars };
    await this.deps.emit({ type: 'suggestion-created', documentId, suggestionId: id, actor: { userId: actor.userId, name: actor.name }, at, quote: written.quote, text: input.text, textAuthorIds });
    return suggestion;
  }
}

/** Authors of proposed insertions between two positions of one text (their text is what the suggestion touches). */
function proposersBetween(doc: Y.Doc, from: Y.RelativePosition, to: Y.RelativePosition): string[] {
  const start = Y.createAbsolutePositionFromRelativePosition(from, doc);
  const end = Y.createAbsolutePositionFromRelativePosition(to, doc);
  if (!start || !end || start.type !== end.type || !(start.type instanceof Y.XmlText)) return [];
  const authors = new Set<string>();
  let index = 0;
  for (const op of start.type.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (index < end.index && index + length > start.index) {
      const proposal = readSuggestionAttributes(op.attributes?.[SUGGESTION_INSERT_MARK]);
      if (proposal) authors.add(proposal.authorId);
    }
    index += length;
    if (index >= end.index) break;
  }
  return [...authors];
}

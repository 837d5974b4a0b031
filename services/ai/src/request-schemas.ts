import { z } from 'zod';
import { DOCUMENT_ID_MAX_LENGTH } from '@copycloud/protocol';
import { MAX_HEADLINE_VARIANTS, MAX_INSTRUCTION_CHARS, MAX_NOTE_CHARS, MIN_HEADLINE_VARIANTS, REWRITE_KINDS } from './prompt/prompt.js';

/** Largest encoded relative position accepted (they are tens of bytes in practice). */
const MAX_RELATIVE_POSITION_CHARS = 512;

/**
 * A place in the document: a Yjs relative position (base64 of
 * `Y.encodeRelativePosition`, what the editor sends, stable while others edit)
 * or a plain-text offset into the text the sidecar reads (tools, tests).
 */
export const positionSchema = z.union([
  z.object({ relative: z.string().min(1).max(MAX_RELATIVE_POSITION_CHARS) }).strict(),
  z.object({ offset: z.number().int().min(0) }).strict(),
]);
export type Position = z.infer<typeof positionSchema>;

const documentIdSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a document id').max(DOCUMENT_ID_MAX_LENGTH);

/** `POST /api/ai/complete`: continue at `cursor` (default: the end of the document). */
export const completeRequestSchema = z
  .object({ documentId: documentIdSchema, cursor: positionSchema.optional() })
  .strict();
export type CompleteRequest = z.infer<typeof completeRequestSchema>;

/**
 * `POST /api/ai/rewrite`: rewrite `selection` as `kind` says; `request` is the
 * free text for `custom`; `variants` how many headlines `headlines` writes.
 */
export const rewriteRequestSchema = z
  .object({
    documentId: documentIdSchema,
    selection: z.object({ from: positionSchema, to: positionSchema }).strict(),
    kind: z.enum(REWRITE_KINDS),
    request: z.string().min(1).max(MAX_INSTRUCTION_CHARS).optional(),
    variants: z.number().int().min(MIN_HEADLINE_VARIANTS).max(MAX_HEADLINE_VARIANTS).optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'custom' || r.request !== undefined, { path: ['request'], message: 'required when kind is custom' })
  .refine((r) => r.kind === 'headlines' || r.variants === undefined, { path: ['variants'], message: 'only for kind headlines' });
export type RewriteRequest = z.infer<typeof rewriteRequestSchema>;

export const brandVoiceSchema = z.object({ note: z.string().max(MAX_NOTE_CHARS) }).strict();

/** Typed Server-Sent Events the AI endpoints stream (event name = `type`): the wire contract. */
export type { AiStreamEvent } from '@copycloud/protocol';

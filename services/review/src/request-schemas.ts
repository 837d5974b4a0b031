import { z } from 'zod';
import { COMMENT_LIMITS, SUGGESTION_LIMITS } from '@copycloud/protocol';

/** Thread and reply ids are the server's UUIDs; anything else is not one of them. */
export const COMMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const body = z
  .string()
  .transform((text) => text.trim())
  .pipe(z.string().min(1, 'must not be empty').max(COMMENT_LIMITS.maxBodyChars, `at most ${COMMENT_LIMITS.maxBodyChars} characters`));
const anchorPosition = z.string().min(1).max(COMMENT_LIMITS.maxAnchorChars).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64 (Y.encodeRelativePosition)');

export const createThreadSchema = z.strictObject({ anchor: z.strictObject({ start: anchorPosition, end: anchorPosition }), body });
export const replySchema = z.strictObject({ body });
/** Not trimmed: spaces are part of the proposed text; '' proposes a deletion. */
export const createSuggestionSchema = z.strictObject({
  from: anchorPosition,
  to: anchorPosition,
  text: z.string().max(SUGGESTION_LIMITS.maxTextChars, `at most ${SUGGESTION_LIMITS.maxTextChars} characters`),
});

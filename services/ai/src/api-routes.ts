import { createRoute, z } from '@hono/zod-openapi';
import { bearer, documentIdParam as documentId, errorResponse, jsonRequest, jsonResponse, open, routesFragment, unauthorized, type ApiFragment } from '@copycloud/openapi';
import { MAX_SELECTION_CHARS } from './prompt/prompt.js';
import { brandVoiceSchema, completeRequestSchema, rewriteRequestSchema } from './request-schemas.js';

const EVENT_STREAM_DESCRIPTION = `A Server-Sent Events stream; each event's name is its \`type\` and its data the JSON below without \`type\`:

- \`start\` \`{requestId, model, demo}\` first;
- \`delta\` \`{text}\` per chunk of generated text;
- \`done\` \`{usage: {inputTokens, outputTokens, estimated}}\` last on success;
- \`error\` \`{code, message, retryAfterSeconds?}\` last when the provider fails mid-stream (\`upstream_*\`, \`cancelled\`).`;

/** One SSE event per variant of `AiStreamEvent` (event name = `type`). */
const streamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), requestId: z.string(), model: z.string(), demo: z.boolean() }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({ type: z.literal('done'), usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int(), estimated: z.boolean() }) }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string(), retryAfterSeconds: z.number().optional() }),
]);

const stream = {
  description: EVENT_STREAM_DESCRIPTION,
  content: {
    'text/event-stream': {
      schema: z.string().openapi({ description: 'SSE frames; see the event shapes in `x-events`.', 'x-events': z.toJSONSchema(streamEventSchema, { io: 'output', target: 'draft-2020-12' }) }),
    },
  },
};
const early = {
  400: errorResponse('invalid body (with `issues`), empty or oversized selection (`invalid_request`)'),
  413: errorResponse('body over the size limit (`payload_too_large`)'),
  401: unauthorized,
  403: errorResponse('the caller is not an editor of the document (`forbidden`)'),
  404: errorResponse('no such document, or no role on it (`document_not_found`, `not_found`)'),
  409: errorResponse('a relative position does not resolve in the stored document yet (`cursor_not_found`); retry'),
  429: { ...errorResponse('per-minute rate limit (`rate_limited`) or daily token quota (`quota_exceeded`)'), headers: { 'Retry-After': { description: 'seconds (rate limit)', schema: { type: 'integer' as const } } } },
  503: errorResponse('AI is not configured (`ai_not_configured`) or the service is shutting down (`shutting_down`)'),
};
const tags = ['ai'];

export const aiStatusRoute = createRoute({
  method: 'get',
  path: '/api/ai/status',
  operationId: 'aiStatus',
  summary: 'Whether AI is configured, and with which model',
  tags,
  security: open,
  responses: {
    200: jsonResponse(
      'status',
      z.object({
        configured: z.boolean(),
        demo: z.boolean().describe('the fake demo model is in use'),
        model: z.string().nullable(),
        apiStyle: z.string(),
        message: z.string().optional().describe('how to configure AI, when it is not'),
      }),
    ),
  },
});

export const aiCompleteRoute = createRoute({
  method: 'post',
  path: '/api/ai/complete',
  operationId: 'aiComplete',
  summary: 'Continue the text at `cursor` (default: end of the document), streamed',
  tags,
  security: bearer,
  request: { body: jsonRequest(completeRequestSchema) },
  responses: { 200: stream, ...early },
});

export const aiRewriteRoute = createRoute({
  method: 'post',
  path: '/api/ai/rewrite',
  operationId: 'aiRewrite',
  summary: 'Rewrite the selection as `kind` says, streamed',
  description: `\`request\` (the free-text instruction) is required when \`kind\` is \`custom\`. At most ${MAX_SELECTION_CHARS} characters can be rewritten at once.`,
  tags,
  security: bearer,
  request: { body: jsonRequest(rewriteRequestSchema) },
  responses: { 200: stream, ...early },
});

export const getBrandVoiceRoute = createRoute({
  method: 'get',
  path: '/api/ai/docs/{id}/brand-voice',
  operationId: 'getBrandVoice',
  summary: "The document's brand-voice note, given to the model with every request (any role)",
  tags,
  security: bearer,
  request: { params: z.object({ id: documentId }) },
  responses: { 200: jsonResponse('the note (empty when unset)', brandVoiceSchema), 401: early[401], 404: early[404] },
});

export const setBrandVoiceRoute = createRoute({
  method: 'put',
  path: '/api/ai/docs/{id}/brand-voice',
  operationId: 'setBrandVoice',
  summary: "Set the document's brand-voice note (editor)",
  tags,
  security: bearer,
  request: { params: z.object({ id: documentId }), body: jsonRequest(brandVoiceSchema) },
  responses: { 200: jsonResponse('saved', brandVoiceSchema), 400: early[400], 401: early[401], 403: early[403], 404: early[404], 413: early[413] },
});

/** Every route of the AI service (`createAiService().app`), documented from the definitions the app registers. */
export const aiApiFragment: ApiFragment = routesFragment(
  { service: 'ai', tags: [{ name: 'ai', description: 'Completions and rewrites over any OpenAI-compatible endpoint, streamed as Server-Sent Events. Needs `editor`.' }] },
  [aiStatusRoute, aiCompleteRoute, aiRewriteRoute, getBrandVoiceRoute, setBrandVoiceRoute],
);

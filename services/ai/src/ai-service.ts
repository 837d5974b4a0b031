import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { Registry } from 'prom-client';
import * as Y from 'yjs';
import {
  assertDocumentRole,
  authErrorResponse,
  AuthError,
  requireUser,
  type AccessTokenVerifier,
  type AuthVariables,
  type DocumentRoleLookup,
  type RequestIdentity,
} from '@copycloud/auth-client';
import { DocumentStore, type Database } from '@copycloud/db';
import { bodyErrorResponse, limitBody, MAX_JSON_BODY_BYTES } from '@copycloud/http';
import { createApiApp } from '@copycloud/openapi';
import { createMetricsRegistry, opsRoutes, type Logger } from '@copycloud/observability';
import { aiCompleteRoute, aiRewriteRoute, aiStatusRoute, getBrandVoiceRoute, setBrandVoiceRoute } from './api-routes.js';
import type { AiConfig } from './config.js';
import { readDocumentText, resolveRelativePosition, type DocumentText } from './document/document-text.js';
import { AiError, NOT_CONFIGURED_MESSAGE } from './errors.js';
import { BrandVoiceStore, UsageStore } from './limits/usage-store.js';
import { RateLimiter, type RateLimitStore } from './limits/rate-limiter.js';
import { createAiMetrics, } from './metrics.js';
import { buildCompletionPrompt, buildRewritePrompt, estimateTokens, MAX_SELECTION_CHARS } from './prompt/prompt.js';
import { createTextGenerator, toAiError, type Prompt, type TextGenerator } from './provider/index.js';
import type { AiStreamEvent, Position } from './request-schemas.js';

/** Largest request body of the AI routes (positions, a short instruction, a brand-voice note). */
export const MAX_AI_REQUEST_BYTES = MAX_JSON_BODY_BYTES;

/** How long shutdown lets open streams finish before cancelling them. */
const SHUTDOWN_DRAIN_MS = 5_000;

export interface AiServiceOptions {
  config: AiConfig;
  db: Database;
  verifier: AccessTokenVerifier;
  roles: DocumentRoleLookup;
  logger: Logger;
  /** Registers default process metrics; one service per process should. */
  processMetrics?: boolean;
  /** Replaces the OpenAI-backed generator (built from config.upstream otherwise). */
  generator?: TextGenerator;
  /** Redis for the per-user request limit, shared by every replica; unset = counted in this process. */
  rateLimitStore?: RateLimitStore | undefined;
}

export interface AiService {
  /** `/api/ai/*` routes. */
  app: Hono;
  /** `/healthz`, `/readyz`, `/metrics` for a standalone process. */
  opsRoutes: Hono;
  registry: Registry;
  activeStreams(): number;
  /** Refuses new requests, lets open streams finish (bounded), then cancels the rest. Idempotent. */
  shutdown(): Promise<void>;
}

type Env = { Variables: AuthVariables };
type Endpoint = 'complete' | 'rewrite';

interface PreparedRequest {
  endpoint: Endpoint;
  identity: RequestIdentity;
  documentId: string;
  prompt: Prompt;
}

export function createAiService(options: AiServiceOptions): AiService {
  const { config, db, logger } = options;
  const registry = createMetricsRegistry({ service: 'ai', processMetrics: options.processMetrics ?? false });
  const metrics = createAiMetrics(registry);
  const documents = new DocumentStore(db);
  const usage = new UsageStore(db);
  const brandVoices = new BrandVoiceStore(db);
  const rateLimiter = new RateLimiter(config.rateLimitPerMinute, options.rateLimitStore);
  const generator =
    options.generator ??
    (config.upstream ? createTextGenerator({ ...config.upstream, model: config.model, apiStyle: config.apiStyle }) : null);
  /** Tokens reserved by in-flight requests, per user, so parallel requests cannot overrun the quota. */
  const reservedTokens = new Map<string, number>();
  const active = new Map<string, AbortController>();
  let accepting = true;
  let stopping: Promise<void> | undefined;

  const app = createApiApp<Env>();
  app.onError((error, c) => {
    const refusedBody = bodyErrorResponse(c, error);
    if (refusedBody) return refusedBody;
    // The brand-voice routes throw these; the streaming routes answer them themselves (finishEarly).
    if (error instanceof AuthError) return authErrorResponse(c, error);
    if (error instanceof AiError) return errorResponse(c, error);
    logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });

  app.openapi(aiStatusRoute, (c) =>
    c.json(
      {
      configured: generator !== null,
      demo: config.demo,
      model: generator ? generator.model : null,
      apiStyle: config.apiStyle,
      ...(generator ? {} : { message: NOT_CONFIGURED_MESSAGE }),
      },
      200,
    ),
  );

  app.use('/api/ai/complete', requireUser(options.verifier));
  app.use('/api/ai/rewrite', requireUser(options.verifier));
  app.use('/api/ai/docs/*', requireUser(options.verifier));

  app.openapi({ ...aiCompleteRoute, middleware: limitBody(MAX_AI_REQUEST_BYTES) }, (c) => {
    const body = c.req.valid('json');
    return handleStream(c, 'complete', async (identity) => {
      const { documentId } = body;
      await assertDocumentRole(options.roles, documentId, identity, 'editor');
      await admit(identity.userId);
      const { doc, text } = await loadDocumentText(documentId);
      try {
        const cursor = body.cursor ? positionToOffset(doc, text, body.cursor, 'cursor') : text.text.length;
        const prompt = buildCompletionPrompt({
          text: text.text,
          cursor,
          brandVoice: await brandVoices.get(documentId),
          budgetTokens: config.contextTokenBudget,
        });
        return { endpoint: 'complete', identity, documentId, prompt };
      } finally {
        doc.destroy();
      }
    });
  });

  app.openapi({ ...aiRewriteRoute, middleware: limitBody(MAX_AI_REQUEST_BYTES) }, (c) => {
    const body = c.req.valid('json');
    return handleStream(c, 'rewrite', async (identity) => {
      const { documentId, selection, kind, request, variants } = body;
      await assertDocumentRole(options.roles, documentId, identity, 'editor');
      await admit(identity.userId);
      const { doc, text } = await loadDocumentText(documentId);
      try {
        const a = positionToOffset(doc, text, selection.from, 'selection.from');
        const b = positionToOffset(doc, text, selection.to, 'selection.to');
        const [from, to] = a <= b ? [a, b] : [b, a];
        if (from === to) throw new AiError('invalid_request', 'the selection is empty');
        if (to - from > MAX_SELECTION_CHARS)
          throw new AiError('invalid_request', `the selection has ${to - from} characters; at most ${MAX_SELECTION_CHARS} can be rewritten at once`);
        const prompt = buildRewritePrompt({
          text: text.text,
          from,
          to,
          kind,
          request: request ?? null,
          variants,
          brandVoice: await brandVoices.get(documentId),
          budgetTokens: config.contextTokenBudget,
        });
        return { endpoint: 'rewrite', identity, documentId, prompt };
      } finally {
        doc.destroy();
      }
    });
  });

  app.openapi(getBrandVoiceRoute, async (c) => {
    const documentId = c.req.valid('param').id;
    await assertDocumentRole(options.roles, documentId, c.var.identity, 'viewer');
    return c.json({ note: (await brandVoices.get(documentId)) ?? '' }, 200);
  });

  app.openapi({ ...setBrandVoiceRoute, middleware: limitBody(MAX_AI_REQUEST_BYTES) }, async (c) => {
    const documentId = c.req.valid('param').id;
    await assertDocumentRole(options.roles, documentId, c.var.identity, 'editor');
    const { note } = c.req.valid('json');
    if (!(await documents.exists(documentId))) throw new AiError('document_not_found', `document ${documentId} does not exist`);
    await brandVoices.set(documentId, note);
    return c.json({ note }, 200);
  });

  /** The per-user rate limit; throws AiError. The quota is checked by checkQuota once the request's token reserve is known. */
  async function admit(userId: string): Promise<void> {
    const rate = await rateLimiter.take(userId);
    if (!rate.allowed)
      throw new AiError('rate_limited', `too many AI requests: at most ${config.rateLimitPerMinute} per minute`, {
        retryAfterSeconds: rate.retryAfterSeconds,
      });
  }

  /** Quota counts Postgres usage plus what in-flight requests may still spend; throws AiError. */
  async function checkQuota(userId: string, reserve: number): Promise<void> {
    const used = (await usage.tokensToday(userId)) + (reservedTokens.get(userId) ?? 0);
    if (used + reserve > config.dailyTokenQuota)
      throw new AiError('quota_exceeded', `daily AI token quota reached (${used} of ${config.dailyTokenQuota} tokens used today); it resets at midnight UTC`);
  }

  async function loadDocumentText(documentId: string): Promise<{ doc: Y.Doc; text: DocumentText }> {
    const merged = await documents.loadMerged(documentId);
    if (!merged) throw new AiError('document_not_found', `document ${documentId} does not exist`);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, merged);
    return { doc, text: readDocumentText(doc) };
  }

  async function handleStream(
    c: Context<Env>,
    endpoint: Endpoint,
    prepare: (identity: RequestIdentity) => Promise<PreparedRequest>,
  ): Promise<Response> {
    const startedAt = performance.now();
    if (!generator) return finishEarly(c, endpoint, new AiError('ai_not_configured', NOT_CONFIGURED_MESSAGE));
    if (!accepting) return c.json({ error: 'shutting_down', message: 'the AI service is shutting down' }, 503);
    const identity = c.var.identity;
    let prepared: PreparedRequest;
    let reserve = 0;
    try {
      prepared = await prepare(identity);
      reserve = estimateTokens(prepared.prompt.system + prepared.prompt.user) + config.maxOutputTokens;
      await checkQuota(identity.userId, reserve);
    } catch (error) {
      if (error instanceof AuthError) return authErrorResponse(c, error);
      if (error instanceof AiError) return finishEarly(c, endpoint, error);
      throw error;
    }
    reservedTokens.set(identity.userId, (reservedTokens.get(identity.userId) ?? 0) + reserve);

    const requestId = randomUUID();
    const log = logger.child({ requestId, documentId: prepared.documentId, userId: identity.userId, endpoint });
    const controller = new AbortController();
    active.set(requestId, controller);
    metrics.activeStreams.inc();
    const timer = setTimeout(
      () => controller.abort(new AiError('upstream_timeout', `the AI provider did not finish within ${config.requestTimeoutMs} ms`)),
      config.requestTimeoutMs,
    );
    const cancel = () => controller.abort(new AiError('cancelled', 'the client went away'));
    c.req.raw.signal.addEventListener('abort', cancel, { once: true });

    return streamSSE(c, async (stream) => {
      stream.onAbort(cancel);
      let outputChars = 0;
      let reported: { inputTokens: number; outputTokens: number } | null = null;
      let outcome = 'ok';
      try {
        await send(stream, { type: 'start', requestId, model: generator.model, demo: config.demo });
        let first = true;
        for await (const event of generator.generate(prepared.prompt, { maxOutputTokens: config.maxOutputTokens, signal: controller.signal })) {
          if (event.type === 'delta') {
            await send(stream, { type: 'delta', text: event.text });
            outputChars += event.text.length;
            if (first) {
              first = false;
              metrics.firstToken.observe({ endpoint }, (performance.now() - startedAt) / 1000);
            }
          } else {
            reported = event.usage;
          }
        }
        const final = usageOf(reported, prepared.prompt, outputChars);
        await send(stream, { type: 'done', usage: final });
      } catch (caught) {
        const error = toAiError(caught, controller.signal);
        outcome = error.code;
        metrics.errors.inc({ code: error.code });
        if (error.code === 'cancelled') log.info('client went away; upstream request cancelled');
        else log.warn({ code: error.code, err: error.cause instanceof Error ? error.cause.message : undefined }, error.message);
        if (!stream.aborted && !stream.closed) {
          await send(stream, { type: 'error', code: error.code, message: error.message, ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) });
        }
      } finally {
        clearTimeout(timer);
        c.req.raw.signal.removeEventListener('abort', cancel);
        active.delete(requestId);
        metrics.activeStreams.dec();
        const final = usageOf(reported, prepared.prompt, outputChars);
        const left = (reservedTokens.get(identity.userId) ?? 0) - reserve;
        if (left > 0) reservedTokens.set(identity.userId, left);
        else reservedTokens.delete(identity.userId);
        metrics.requests.inc({ endpoint, outcome });
        metrics.tokens.inc({ direction: 'input' }, final.inputTokens);
        metrics.tokens.inc({ direction: 'output' }, final.outputTokens);
        metrics.duration.observe({ endpoint }, (performance.now() - startedAt) / 1000);
        await usage
          .record({ userId: identity.userId, documentId: prepared.documentId, kind: endpoint, model: generator.model, ...final, outcome })
          .catch((error: unknown) => log.error({ err: error }, 'could not record AI usage'));
        log.info({ outcome, inputTokens: final.inputTokens, outputTokens: final.outputTokens, ms: Math.round(performance.now() - startedAt) }, 'ai request finished');
      }
    });
  }

  function finishEarly(c: Context<Env>, endpoint: Endpoint, error: AiError): Response {
    metrics.requests.inc({ endpoint, outcome: error.code });
    metrics.errors.inc({ code: error.code });
    return errorResponse(c, error);
  }

  const ops = opsRoutes({
    registries: () => [registry],
    checks: { database: () => db.ping() },
    accepting: () => accepting,
  });

  return {
    app: app as unknown as Hono,
    opsRoutes: ops,
    registry,
    activeStreams: () => active.size,
    shutdown() {
      stopping ??= (async () => {
        accepting = false;
        const deadline = Date.now() + SHUTDOWN_DRAIN_MS;
        while (active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        for (const controller of active.values()) controller.abort(new AiError('cancelled', 'the AI service is shutting down'));
      })();
      return stopping;
    },
  };
}

function positionToOffset(doc: Y.Doc, text: DocumentText, position: Position, name: string): number {
  if ('offset' in position) {
    if (position.offset > text.text.length)
      throw new AiError('invalid_request', `${name} offset ${position.offset} is past the end of the document (${text.text.length} characters)`);
    return position.offset;
  }
  const absolute = resolveRelativePosition(doc, position.relative);
  const offset = absolute ? text.offsetOf(absolute) : null;
  if (offset === null)
    throw new AiError('cursor_not_found', `${name} does not resolve in the stored document yet (it may not be synced); retry in a moment`);
  return offset;
}

/** The provider's usage when it reported one, else the 4-characters-per-token estimate. */
function usageOf(reported: { inputTokens: number; outputTokens: number } | null, prompt: Prompt, outputChars: number) {
  if (reported) return { ...reported, estimated: false };
  return { inputTokens: estimateTokens(prompt.system + prompt.user), outputTokens: Math.ceil(outputChars / 4), estimated: true };
}

async function send(stream: SSEStreamingApi, event: AiStreamEvent): Promise<void> {
  const { type, ...data } = event;
  await stream.writeSSE({ event: type, data: JSON.stringify(data) });
}

function errorResponse(c: Context, error: AiError): Response {
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json(error.toJSON(), error.status as 400);
}

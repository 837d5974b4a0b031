import { z } from 'zod';
import { baseEnvSchema, booleanSchema, parseEnv, positiveIntSchema, redisPrefixSchema, urlSchema } from '@copycloud/config';

export const AI_API_STYLES = ['chat', 'responses'] as const;
export type AiApiStyle = (typeof AI_API_STYLES)[number];

/** The AI sidecar's own variables (extendable by the launcher, like the sync node's). */
export const aiEnvObject = z.object({
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: urlSchema(['http:', 'https:']).optional(),
  AI_MODEL: z.string().default('gpt-4o-mini'),
  AI_API_STYLE: z.enum(AI_API_STYLES, { message: 'must be chat or responses' }).default('chat'),
  /** `fake` runs the bundled fake OpenAI-compatible server in-process (demo model, no network). */
  AI_PROVIDER: z.enum(['openai', 'fake'], { message: 'must be openai or fake' }).default('openai'),
  AI_RATE_LIMIT_PER_MINUTE: positiveIntSchema.default(30),
  AI_DAILY_TOKEN_QUOTA: positiveIntSchema.default(200_000),
  AI_MAX_OUTPUT_TOKENS: positiveIntSchema.default(256),
  AI_REQUEST_TIMEOUT_MS: positiveIntSchema.default(30_000),
  AI_CONTEXT_TOKEN_BUDGET: positiveIntSchema.default(1_500),
});

export const aiEnvSchema = baseEnvSchema.extend({
  ...aiEnvObject.shape,
  DATABASE_URL: urlSchema(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().default('./data'),
  SHUTDOWN_TIMEOUT_MS: positiveIntSchema.default(10_000),
  AUTH_JWKS_URL: urlSchema(['http:', 'https:', 'file:']).optional(),
  AUTH_ISSUER: z.string().default('copycloud'),
  AUTH_DISABLED: booleanSchema.default(false),
  /** Set: the per-user request limit is counted in Redis, shared by every replica. Unset: per process. */
  REDIS_URL: urlSchema(['redis:', 'rediss:']).optional(),
  REDIS_PREFIX: redisPrefixSchema,
}).refine((env) => env.AUTH_DISABLED || env.AUTH_JWKS_URL, {
  path: ['AUTH_JWKS_URL'],
  message: 'required: where to fetch the JWKS that verifies access tokens (or AUTH_DISABLED=true, development only)',
});

export type AiEnv = z.infer<typeof aiEnvObject>;

/** Everything the AI service needs, with units in the names. */
export interface AiConfig {
  /** Null when neither a key nor a base URL is set: the endpoints answer 503 ai_not_configured. */
  upstream: { apiKey: string; baseURL: string | undefined } | null;
  model: string;
  apiStyle: AiApiStyle;
  /** True when the upstream is the bundled fake: the UI labels it "demo model". */
  demo: boolean;
  rateLimitPerMinute: number;
  dailyTokenQuota: number;
  maxOutputTokens: number;
  requestTimeoutMs: number;
  contextTokenBudget: number;
}

/**
 * A base URL without a key is a local server (Ollama, LM Studio, vLLM), which
 * ignores the key; the SDK still wants one, so a placeholder is sent.
 */
const LOCAL_SERVER_PLACEHOLDER_KEY = 'not-needed-for-local-servers';

export function aiConfigFromEnv(env: AiEnv, overrides: { fakeBaseURL?: string } = {}): AiConfig {
  const baseURL = overrides.fakeBaseURL ?? env.OPENAI_BASE_URL;
  const configured = Boolean(env.OPENAI_API_KEY || baseURL);
  return {
    upstream: configured ? { apiKey: env.OPENAI_API_KEY ?? LOCAL_SERVER_PLACEHOLDER_KEY, baseURL } : null,
    model: overrides.fakeBaseURL ? 'demo-model' : env.AI_MODEL,
    apiStyle: env.AI_API_STYLE,
    demo: overrides.fakeBaseURL !== undefined,
    rateLimitPerMinute: env.AI_RATE_LIMIT_PER_MINUTE,
    dailyTokenQuota: env.AI_DAILY_TOKEN_QUOTA,
    maxOutputTokens: env.AI_MAX_OUTPUT_TOKENS,
    requestTimeoutMs: env.AI_REQUEST_TIMEOUT_MS,
    contextTokenBudget: env.AI_CONTEXT_TOKEN_BUDGET,
  };
}

export function parseAiEnv(env: Record<string, string | undefined>) {
  return parseEnv(aiEnvSchema, env);
}

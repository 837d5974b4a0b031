import { hostname } from 'node:os';
import { z } from 'zod';
import { baseEnvSchema, booleanSchema, parseEnv, positiveIntSchema, redisPrefixSchema, urlSchema } from '@copycloud/config';

/** The sync node's variables, without cross-field rules (extendable by the launcher). */
/** The update log's group-commit window (STORE_BATCH_MS) unless configured. */
export const DEFAULT_STORE_BATCH_MS = 25;

export const syncEnvObject = baseEnvSchema.extend({
    DATABASE_URL: urlSchema(['postgres:', 'postgresql:']).optional(),
    DATA_DIR: z.string().default('./data'),
    REDIS_URL: urlSchema(['redis:', 'rediss:']).optional(),
    AUTH_JWKS_URL: urlSchema(['http:', 'https:', 'file:']).optional(),
    AUTH_ISSUER: z.string().default('copycloud'),
    AUTH_DISABLED: booleanSchema.default(false),
    /** Largest WebSocket frame accepted; bigger ones close the socket with 1009. */
    MAX_PAYLOAD_BYTES: positiveIntSchema.default(4 * 1024 * 1024),
    /**
     * How long the update log waits to group appends into one commit. Only the
     * "saved" acknowledgement waits for it (edits reach collaborators at once);
     * 25 ms keeps "saved" instant to a person while one commit and one saved
     * notice carry several keystrokes (bench:sync: ~20% less CPU per edit than 5 ms).
     */
    STORE_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(DEFAULT_STORE_BATCH_MS),
    SHUTDOWN_TIMEOUT_MS: positiveIntSchema.default(10_000),
    /** Redis channel prefix: one per deployment sharing a Redis. */
    REDIS_PREFIX: redisPrefixSchema,
    /** How often a document open on several nodes exchanges a state digest over Redis (anti-entropy). */
    ANTI_ENTROPY_INTERVAL_MS: positiveIntSchema.default(10_000),
    NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ . -').optional(),
});

export const syncEnvSchema = syncEnvObject.superRefine((env, ctx) => {
    if (!env.AUTH_DISABLED && !env.AUTH_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWKS_URL'],
        message: 'required: where to fetch the JWKS that verifies document tokens (or set AUTH_DISABLED=true to run open, for development only)',
      });
    }
  });

export type SyncEnv = z.infer<typeof syncEnvSchema>;

/** Everything a sync node needs, in units that say what they are. */
export interface SyncNodeConfig {
  nodeId: string;
  authDisabled: boolean;
  authJwksUrl?: string | undefined;
  authIssuer: string;
  redisUrl?: string | undefined;
  /** Redis channel prefix (REDIS_PREFIX); one per deployment or test run. */
  redisPrefix?: string | undefined;
  /** Anti-entropy digest period for documents shared across nodes. */
  antiEntropyIntervalMs?: number | undefined;
  maxPayloadBytes: number;
  storeBatchMs: number;
  /** Distinct documents one socket may open when its URL names none. */
  maxDocumentsPerSocket: number;
}

export function syncNodeConfigFromEnv(env: SyncEnv): SyncNodeConfig {
  return {
    nodeId: env.NODE_ID ?? `${hostname()}-${process.pid}`,
    authDisabled: env.AUTH_DISABLED,
    authJwksUrl: env.AUTH_JWKS_URL,
    authIssuer: env.AUTH_ISSUER,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    antiEntropyIntervalMs: env.ANTI_ENTROPY_INTERVAL_MS,
    maxPayloadBytes: env.MAX_PAYLOAD_BYTES,
    storeBatchMs: env.STORE_BATCH_MS,
    maxDocumentsPerSocket: 8,
  };
}

export function parseSyncEnv(env: Record<string, string | undefined>): SyncEnv {
  return parseEnv(syncEnvSchema, env);
}

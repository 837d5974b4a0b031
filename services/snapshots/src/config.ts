import { hostname } from 'node:os';
import { z } from 'zod';
import { baseEnvSchema, booleanSchema, parseEnv, positiveIntSchema, redisPrefixSchema, urlSchema } from '@copycloud/config';
import { fileStorageEnvShape, refineFileStorageEnv } from '@copycloud/files';
import type { AutoVersionConfig } from './auto-versioner.js';
import type { CompactorConfig } from './compactor.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The snapshots sidecar's variables (extendable by the launcher). */
export const snapshotsEnvObject = baseEnvSchema.extend({
  // Where uploaded images are (DOCX/PDF export embeds them): S3_* or DATA_DIR/files.
  ...fileStorageEnvShape,
  DATABASE_URL: urlSchema(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: urlSchema(['redis:', 'rediss:']).optional(),
  /** Prefix of the Redis channels shared with the sync nodes. */
  REDIS_PREFIX: redisPrefixSchema,
  AUTH_DISABLED: booleanSchema.default(false),
  /** Where to fetch the JWKS that verifies access tokens (http(s):// or file://). */
  AUTH_JWKS_URL: urlSchema(['http:', 'https:', 'file:']).optional(),
  AUTH_ISSUER: z.string().default('copycloud'),
  /** A document's log is compacted once it holds this many rows. */
  COMPACT_THRESHOLD_UPDATES: positiveIntSchema.default(200),
  COMPACT_INTERVAL_MS: positiveIntSchema.default(1_000),
  /** An automatic version is taken after this long without edits… */
  AUTO_VERSION_PAUSE_MS: positiveIntSchema.default(30_000),
  /** …at most once per this period per document. */
  AUTO_VERSION_MIN_INTERVAL_MS: positiveIntSchema.default(10 * MINUTE_MS),
  AUTO_VERSION_INTERVAL_MS: positiveIntSchema.default(5_000),
  /** Retention for automatic versions (named and restore versions are kept). */
  AUTO_VERSION_KEEP: positiveIntSchema.default(100),
  AUTO_VERSION_MAX_AGE_DAYS: positiveIntSchema.default(30),
  SHUTDOWN_TIMEOUT_MS: positiveIntSchema.default(10_000),
  NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ . -').optional(),
});

export const snapshotsEnvSchema = snapshotsEnvObject.superRefine((env, ctx) => {
  refineFileStorageEnv(env, ctx);
  if (!env.AUTH_DISABLED && !env.AUTH_JWKS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_JWKS_URL'],
      message: 'required: where to fetch the JWKS that verifies access tokens (or set AUTH_DISABLED=true, for development only)',
    });
  }
});

export type SnapshotsEnv = z.infer<typeof snapshotsEnvObject>;

export interface SnapshotsConfig {
  nodeId: string;
  compactor: CompactorConfig & { intervalMs: number };
  autoVersions: AutoVersionConfig & { intervalMs: number };
  redisPrefix: string;
}

export const DEFAULT_SNAPSHOTS_CONFIG: SnapshotsConfig = snapshotsConfigFromEnv(snapshotsEnvObject.parse({}));

export function snapshotsConfigFromEnv(env: SnapshotsEnv): SnapshotsConfig {
  return {
    nodeId: env.NODE_ID ?? `snapshots-${hostname()}-${process.pid}`,
    redisPrefix: env.REDIS_PREFIX,
    compactor: {
      thresholdRows: env.COMPACT_THRESHOLD_UPDATES,
      intervalMs: env.COMPACT_INTERVAL_MS,
      documentsPerTick: 50,
      corruptRetryMs: 5 * MINUTE_MS,
    },
    autoVersions: {
      pauseMs: env.AUTO_VERSION_PAUSE_MS,
      minIntervalMs: env.AUTO_VERSION_MIN_INTERVAL_MS,
      intervalMs: env.AUTO_VERSION_INTERVAL_MS,
      documentsPerTick: 20,
      keepAutoVersions: env.AUTO_VERSION_KEEP,
      autoVersionMaxAgeMs: env.AUTO_VERSION_MAX_AGE_DAYS * DAY_MS,
    },
  };
}

export function parseSnapshotsEnv(env: Record<string, string | undefined>): SnapshotsEnv {
  return parseEnv(snapshotsEnvSchema, env);
}

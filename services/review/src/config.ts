import { hostname } from 'node:os';
import { z } from 'zod';
import { baseEnvSchema, booleanSchema, parseEnv, positiveIntSchema, redisPrefixSchema, urlSchema } from '@copycloud/config';

/** Notifications' variables: the review sidecar's, and the launcher's (which runs the same wiring). */
export const notificationsEnvObject = z.object({
  /** Email digests of notifications (nodemailer); unset = in-app and webhooks only. */
  SMTP_URL: urlSchema(['smtp:', 'smtps:']).optional(),
  NOTIFY_EMAIL_FROM: z.string().min(3).default('Copycloud <notifications@copycloud.invalid>'),
  /** A recipient's digest goes out this long after their oldest unsent notification. */
  NOTIFY_DIGEST_MS: positiveIntSchema.default(5 * 60_000),
  /** How often the delivery loop looks for due digests and webhook posts. */
  NOTIFY_POLL_MS: positiveIntSchema.default(30_000),
  /** Accept http:// document webhooks (private networks, development); https only by default. */
  NOTIFY_WEBHOOK_ALLOW_HTTP: booleanSchema.default(false),
  /** Let webhooks reach loopback, private (RFC 1918), link-local and unique-local addresses (tests, closed networks); refused by default (SSRF). */
  NOTIFY_WEBHOOK_ALLOW_PRIVATE: booleanSchema.default(false),
  /** The editor's public URL, for links in digests and webhook posts. */
  APP_URL: urlSchema(['http:', 'https:']).optional(),
});
export type NotificationsEnv = z.infer<typeof notificationsEnvObject>;

/** The review sidecar's variables when it runs alone (the launcher mounts it with none of its own). */
export const reviewEnvObject = baseEnvSchema.extend({
  DATABASE_URL: urlSchema(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().default('./data'),
  /** Where comment changes are published for the sync nodes (`<prefix>:external-updates`); unset = stored only, seen on reload. */
  REDIS_URL: urlSchema(['redis:', 'rediss:']).optional(),
  REDIS_PREFIX: redisPrefixSchema,
  AUTH_DISABLED: booleanSchema.default(false),
  AUTH_JWKS_URL: urlSchema(['http:', 'https:', 'file:']).optional(),
  AUTH_ISSUER: z.string().default('copycloud'),
  SHUTDOWN_TIMEOUT_MS: positiveIntSchema.default(10_000),
  NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ . -').optional(),
  ...notificationsEnvObject.shape,
});

export const reviewEnvSchema = reviewEnvObject.superRefine((env, ctx) => {
  if (!env.AUTH_DISABLED && !env.AUTH_JWKS_URL) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'required: where to fetch the JWKS that verifies access tokens (or set AUTH_DISABLED=true, for development only)' });
  }
});

export type ReviewEnv = z.infer<typeof reviewEnvObject>;

export function parseReviewEnv(env: Record<string, string | undefined>): ReviewEnv {
  return parseEnv(reviewEnvSchema, env);
}

export function reviewNodeId(env: ReviewEnv): string {
  return env.NODE_ID ?? `review-${hostname()}-${process.pid}`;
}

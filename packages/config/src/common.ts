import { z } from 'zod';
import { DEFAULT_REDIS_PREFIX } from '@copycloud/protocol';

export const portSchema = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be an integer')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export const booleanSchema = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'must be one of fatal, error, warn, info, debug, trace, silent',
});

export function urlSchema(protocols: readonly string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL with scheme ${protocols.map((p) => p.replace(':', '')).join(' or ')}` },
  );
}

export const positiveIntSchema = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .positive('must be positive');

/** Variables every Copycloud process understands (DESIGN.md, Contracts). */
export const baseEnvSchema = z.object({
  PORT: portSchema.default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: logLevelSchema.default('info'),
});

/**
 * REDIS_PREFIX, the same for every process: one per deployment sharing a
 * Redis (channels and keys all start with it; @copycloud/protocol names the
 * channels). Defined once so the default and the rule cannot drift apart.
 */
export const redisPrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ . : -')
  .default(DEFAULT_REDIS_PREFIX);

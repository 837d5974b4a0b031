import { z } from 'zod';
import { booleanSchema, parseEnv } from '@copycloud/config';
import { syncEnvObject } from '@copycloud/sync-server';

/**
 * The all-in-one process understands every service's variables. Auth is
 * in-process here, so a sync node needs no AUTH_JWKS_URL; until the auth
 * service is mounted, the node runs open (AUTH_DISABLED=true) and says so.
 */
export const launcherEnvSchema = syncEnvObject
  .extend({
    AUTH_DISABLED: booleanSchema.default(true),
    EDITOR_DIST_DIR: z.string().optional(),
  })
  .refine((env) => env.AUTH_DISABLED, {
    path: ['AUTH_DISABLED'],
    message: 'must be true: the auth service is not mounted in this build yet',
  });

export type LauncherEnv = z.infer<typeof launcherEnvSchema>;

export function parseLauncherEnv(env: Record<string, string | undefined>): LauncherEnv {
  return parseEnv(launcherEnvSchema, env);
}

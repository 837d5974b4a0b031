import { z } from 'zod';
import { booleanSchema, parseEnv } from '@copycloud/config';
import { authEnvShape } from '@copycloud/auth';
import { syncEnvObject } from '@copycloud/sync-server';
import { aiEnvObject } from '@copycloud/ai';
import { snapshotsEnvObject } from '@copycloud/snapshots';
import { filesEnvObject, fileStorageEnvShape, refineFileStorageEnv } from '@copycloud/files';
import { notificationsEnvObject } from '@copycloud/review';

/**
 * The all-in-one process understands every service's variables. Auth is
 * mounted in-process, so the sync node verifies document tokens against it
 * directly and needs no AUTH_JWKS_URL. AUTH_DISABLED=true (development only)
 * runs the node open, and says so loudly.
 */
export const launcherEnvSchema = syncEnvObject.extend({
  ...authEnvShape,
  ...aiEnvObject.shape,
  // How soon after a pause in editing versions are taken and titles derived (e2e shortens them).
  ...snapshotsEnvObject.pick({ AUTO_VERSION_PAUSE_MS: true, AUTO_VERSION_INTERVAL_MS: true }).shape,
  // Uploaded images: on disk under DATA_DIR/files, or in an S3-compatible store (all four S3_* variables).
  ...fileStorageEnvShape,
  ...filesEnvObject.pick({ FILES_MAX_UPLOAD_BYTES: true, FILES_SWEEP_GRACE_MS: true, FILES_SWEEP_INTERVAL_MS: true }).shape,
  // Notifications: email digests when SMTP_URL is set, webhook rules, links (the review sidecar's variables).
  ...notificationsEnvObject.shape,
  AUTH_DISABLED: booleanSchema.default(false),
  EDITOR_DIST_DIR: z.string().optional(),
  // Where migrated PGlite templates are kept (a new DATA_DIR starts as a copy); default node_modules/.cache/copycloud/pglite-templates.
  PGLITE_TEMPLATE_DIR: z.string().min(1).optional(),
});

export type LauncherEnv = z.infer<typeof launcherEnvSchema>;

export function parseLauncherEnv(env: Record<string, string | undefined>): LauncherEnv {
  return parseEnv(launcherEnvSchema.superRefine(refineFileStorageEnv), env);
}

import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import { createMetricsRegistry, opsRoutes, type Logger, type ReadinessCheck } from '@copycloud/observability';
import type { FilesConfig } from './config.js';
import { FileService } from './file-service.js';
import { openAccessRoles, type DocumentExistence } from './open-access.js';
import { filesRoutes } from './routes.js';
import type { FileStorage } from './storage.js';

export interface FilesServiceDeps {
  config: Pick<FilesConfig, 'maxUploadBytes'>;
  /** Opened by the caller (openFileStorage), so the launcher and snapshots can share one. */
  storage: FileStorage;
  logger: Logger;
  verifier: AccessTokenVerifier;
  roles: DocumentRoleLookup;
  /**
   * Set only under AUTH_DISABLED=true: anyone signed in is an editor of every
   * existing document (members keep their role), as on the sync node, so a
   * second browser sees the images of a document it opened by its link.
   */
  openAccess?: DocumentExistence;
  readinessChecks?: Record<string, ReadinessCheck>;
  processMetrics?: boolean;
}

export interface FilesService {
  /** `POST /api/docs/:id/files`, `GET /api/docs/:id/files/:fileId`. */
  readonly app: Hono;
  /** `/healthz`, `/readyz` (checks the store), `/metrics` (mount only when running alone). */
  readonly opsRoutes: Hono;
  readonly registry: Registry;
  readonly files: FileService;
  /** /readyz fails from now on. Idempotent. */
  stop(): void;
}

/** The files sidecar as a library: image uploads and role-checked reads. */
export function createFilesService(deps: FilesServiceDeps): FilesService {
  const files = new FileService({ storage: deps.storage, maxUploadBytes: deps.config.maxUploadBytes });
  const registry = createMetricsRegistry({ service: 'files', processMetrics: deps.processMetrics ?? false });
  let accepting = true;
  return {
    app: filesRoutes({ files, verifier: deps.verifier, roles: deps.openAccess ? openAccessRoles(deps.roles, deps.openAccess) : deps.roles, logger: deps.logger }) as unknown as Hono,
    opsRoutes: opsRoutes({
      registries: () => [registry],
      accepting: () => accepting,
      checks: { storage: () => deps.storage.check(), ...(deps.readinessChecks ?? {}) },
    }),
    registry,
    files,
    stop() {
      accepting = false;
    },
  };
}

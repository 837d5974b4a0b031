import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import { createMetricsRegistry, opsRoutes, type Logger, type ReadinessCheck } from '@copycloud/observability';
import type { FilesConfig, SweepConfig } from './config.js';
import { FileService } from './file-service.js';
import { openAccessRoles, type DocumentExistence } from './open-access.js';
import { filesRoutes } from './routes.js';
import type { FileStorage } from './storage.js';
import { FileSweep, startSweepLoop, type DocumentReferences, type SweepLoop } from './sweep.js';

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
  /**
   * The periodic sweep of files nothing references (documents' states and
   * versions, read through `references`); omitted or intervalMs 0: none.
   */
  sweep?: SweepConfig & { references: DocumentReferences };
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
  /** The sweep of unreferenced files (also when its loop is off: `sweepOnce()` runs one now). */
  readonly sweep: FileSweep | null;
  /** /readyz fails from now on; the sweep loop stops and a sweep in progress is awaited. Idempotent. */
  stop(): Promise<void>;
}

/** The files sidecar as a library: image uploads and role-checked reads. */
export function createFilesService(deps: FilesServiceDeps): FilesService {
  const files = new FileService({ storage: deps.storage, maxUploadBytes: deps.config.maxUploadBytes });
  const registry = createMetricsRegistry({ service: 'files', processMetrics: deps.processMetrics ?? false });
  let accepting = true;
  const sweep = deps.sweep
    ? new FileSweep({ storage: deps.storage, references: deps.sweep.references, graceMs: deps.sweep.graceMs, logger: deps.logger, registry })
    : null;
  const loop: SweepLoop | null = sweep && deps.sweep!.intervalMs > 0 ? startSweepLoop(sweep, { intervalMs: deps.sweep!.intervalMs, logger: deps.logger }) : null;
  return {
    app: filesRoutes({ files, verifier: deps.verifier, roles: deps.openAccess ? openAccessRoles(deps.roles, deps.openAccess) : deps.roles, logger: deps.logger }) as unknown as Hono,
    opsRoutes: opsRoutes({
      registries: () => [registry],
      accepting: () => accepting,
      checks: { storage: () => deps.storage.check(), ...(deps.readinessChecks ?? {}) },
    }),
    registry,
    files,
    sweep,
    async stop() {
      accepting = false;
      await loop?.stop();
    },
  };
}

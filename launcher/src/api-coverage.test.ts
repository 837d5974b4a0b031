import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
// Here, in the launcher, because it depends on every service it serves (the
// openapi package cannot: the services depend on it).
import { createAiService, aiApiFragment, aiConfigFromEnv, aiEnvObject } from '@copycloud/ai';
import { createAuthService, authApiFragment, defaultAuthLimits } from '@copycloud/auth';
import { createInProcessAccessEventBus, type AccessTokenVerifier, type DocumentRoleLookup } from '@copycloud/auth-client';
import { openDatabase, runMigrations, type Database } from '@copycloud/db';
import { createLogger, createMetricsRegistry, opsRoutes } from '@copycloud/observability';
import { DEFAULT_SNAPSHOTS_CONFIG, createSnapshotsService, snapshotsApiFragment } from '@copycloud/snapshots';
import { DiskFileStorage, createFilesService, filesApiFragment } from '@copycloud/files';
import { createReviewService, reviewApiFragment } from '@copycloud/review';
import { createSyncNode, syncApiFragment, type SyncNode } from '@copycloud/sync-server';
import { compareCoverage, documentedOperations, openApiRoutes, registeredOperations, serviceApiDocument, type ApiFragment } from '@copycloud/openapi';

const logger = createLogger({ name: 'openapi-test', level: 'silent' });
/** These apps are only enumerated, never asked: nobody is ever signed in. */
const nobody: AccessTokenVerifier & DocumentRoleLookup = {
  verifyAccessToken: async () => {
    throw new Error('not used: routes are only enumerated');
  },
  roleOf: async () => null,
};

/**
 * Each service's HTTP app composed as its `main.ts` composes it (ops routes,
 * docs routes, the service's own routes), with the fragment that documents it.
 */
interface ServedService {
  name: string;
  app: Hono;
  fragment: ApiFragment;
}

function composed(fragment: ApiFragment, ...apps: Hono[]): Hono {
  const app = new Hono().route('/', openApiRoutes(serviceApiDocument([fragment])));
  for (const part of apps) app.route('/', part);
  return app;
}

describe('every route a service registers is documented, and every documented route is served', () => {
  let db: Database;
  let syncNode: SyncNode;
  const services: ServedService[] = [];

  before(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await runMigrations(db);
    const ops = opsRoutes({ registries: () => [createMetricsRegistry({ service: 'x', processMetrics: false })], accepting: () => true, checks: {} });

    const auth = createAuthService({
      config: { issuer: 'copycloud', corsOrigins: [], trustProxy: false, ...defaultAuthLimits(), scrypt: { N: 2 ** 12, r: 8, p: 1 } },
      db,
      logger,
      events: createInProcessAccessEventBus(),
    });
    await auth.ready;
    services.push({ name: 'auth', app: composed(authApiFragment, ops, auth.app), fragment: authApiFragment });

    const snapshots = createSnapshotsService({ config: DEFAULT_SNAPSHOTS_CONFIG, db, logger, verifier: nobody, roles: nobody });
    services.push({ name: 'snapshots', app: composed(snapshotsApiFragment, snapshots.opsRoutes, snapshots.app), fragment: snapshotsApiFragment });

    const files = createFilesService({ config: { maxUploadBytes: 1024 }, storage: new DiskFileStorage('./data/never-written'), logger, verifier: nobody, roles: nobody });
    services.push({ name: 'files', app: composed(filesApiFragment, files.opsRoutes, files.app), fragment: filesApiFragment });

    const review = createReviewService({ delivery: { change: async () => Promise.reject(new Error('not used')), read: async () => Promise.reject(new Error('not used')) }, logger, verifier: nobody, roles: nobody, owners: { ownersOf: async () => [] } });
    services.push({ name: 'review', app: composed(reviewApiFragment, review.opsRoutes, review.app), fragment: reviewApiFragment });

    const ai = createAiService({ config: aiConfigFromEnv(aiEnvObject.parse({})), db, verifier: nobody, roles: nobody, logger });
    services.push({ name: 'ai', app: composed(aiApiFragment, ai.opsRoutes, ai.app), fragment: aiApiFragment });

    syncNode = createSyncNode({
      config: { nodeId: 'openapi-test', authDisabled: true, authIssuer: 'copycloud', maxPayloadBytes: 1024 * 1024, storeBatchMs: 2, maxDocumentsPerSocket: 4 },
      db,
      logger,
    });
    services.push({ name: 'sync', app: composed(syncApiFragment, syncNode.opsRoutes), fragment: syncApiFragment });
  });

  after(async () => {
    await syncNode?.shutdown();
    await db?.close();
  });

  for (const name of ['auth', 'snapshots', 'files', 'review', 'ai', 'sync']) {
    it(`${name}: routes and docs match one for one`, () => {
      const service = services.find((s) => s.name === name)!;
      const registered = registeredOperations(service.app);
      const documented = documentedOperations(serviceApiDocument([service.fragment]));
      const { undocumented, unserved } = compareCoverage(registered, documented);
      assert.deepEqual(undocumented, [], `${name} serves routes its openapi.ts does not document`);
      assert.deepEqual(unserved, [], `${name}'s openapi.ts documents routes it does not serve`);
      assert.ok(registered.length >= 5, `${name}: found only ${registered.join(', ')}`);
    });
  }

  it('the launcher’s merged document covers the union of the services', () => {
    const all = serviceApiDocument([authApiFragment, snapshotsApiFragment, filesApiFragment, reviewApiFragment, aiApiFragment, syncApiFragment]);
    const union = new Set(services.flatMap((s) => registeredOperations(s.app)));
    assert.deepEqual(documentedOperations(all), [...union].sort());
  });

  it('a route added without docs is caught', () => {
    const auth = services.find((s) => s.name === 'auth')!;
    const grown = new Hono().route('/', auth.app);
    grown.get('/api/docs/:id/comments', (c) => c.json({ comments: [] }));
    const { undocumented } = compareCoverage(registeredOperations(grown), documentedOperations(serviceApiDocument([authApiFragment])));
    assert.deepEqual(undocumented, ['GET /api/docs/{id}/comments']);
  });
});

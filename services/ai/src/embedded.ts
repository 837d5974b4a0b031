import { Hono } from 'hono';
import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import { coreMigrations, runMigrations, type Database } from '@copycloud/db';
import { startFakeOpenAI, type FakeOpenAI } from '@copycloud/fake-openai';
import type { Logger } from '@copycloud/observability';
import { createAiService, type AiService } from './ai-service.js';
import { aiConfigFromEnv, type AiEnv } from './config.js';
import { aiMigrations } from './migrations.js';

export interface EmbeddedAiService {
  /** `/api/ai/*`; requests wait for `ready` (migrations, the fake model server) on their first call. */
  app: Hono;
  ready: Promise<AiService>;
  shutdown(): Promise<void>;
}

/**
 * The AI service for the all-in-one launcher, whose composition is
 * synchronous: runs the AI migrations and, with AI_PROVIDER=fake, starts the
 * fake OpenAI-compatible server on a loopback port, then serves the routes.
 */
export function createEmbeddedAiService(options: {
  env: AiEnv;
  db: Database;
  logger: Logger;
  verifier: AccessTokenVerifier;
  roles: DocumentRoleLookup;
}): EmbeddedAiService {
  let fake: FakeOpenAI | null = null;
  const ready = (async () => {
    await runMigrations(options.db, [...coreMigrations, ...aiMigrations]);
    if (options.env.AI_PROVIDER === 'fake') fake = await startFakeOpenAI();
    const config = aiConfigFromEnv(options.env, fake ? { fakeBaseURL: fake.baseURL } : {});
    options.logger.info({ configured: config.upstream !== null, demo: config.demo, model: config.model, apiStyle: config.apiStyle }, 'ai service ready');
    return createAiService({ config, db: options.db, verifier: options.verifier, roles: options.roles, logger: options.logger });
  })();
  ready.catch((error: unknown) => options.logger.error({ err: error }, 'ai service failed to start'));
  const app = new Hono();
  app.all('/api/ai/*', async (c) => {
    const service = await ready;
    return service.app.fetch(c.req.raw, c.env);
  });
  return {
    app,
    ready,
    async shutdown() {
      const service = await ready.catch(() => null);
      await service?.shutdown();
      await fake?.close();
    },
  };
}

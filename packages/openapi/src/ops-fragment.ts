import { createRoute, z } from '@hono/zod-openapi';
import type { ApiFragment } from './fragment.js';
import { jsonResponse, open } from './schemas.js';

const tags = ['ops'];

/**
 * `/healthz`, `/readyz`, `/metrics` (`opsRoutes` in @copycloud/observability),
 * served identically by every service. That package serves them with plain
 * Hono, so they are described here.
 */
export const opsFragment: ApiFragment = {
  service: 'observability',
  tags: [{ name: 'ops', description: 'Probes and metrics, served by every service.' }],
  routes: [
    createRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'healthz',
      summary: 'Liveness: the process is up',
      tags,
      security: open,
      responses: { 200: jsonResponse('alive', z.object({ status: z.literal('ok') })) },
    }),
    createRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'readyz',
      summary: 'Readiness: dependencies (database, Redis…) reachable and not draining',
      tags,
      security: open,
      responses: {
        200: jsonResponse('ready', z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()).describe('`ok` per check') })),
        503: jsonResponse(
          'draining (shutdown began) or a check failed',
          z.object({
            status: z.enum(['draining', 'unavailable']),
            checks: z.record(z.string(), z.string()).optional().describe('`ok` or why not, per check'),
          }),
        ),
      },
    }),
    createRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics (text exposition format)',
      tags,
      security: open,
      responses: { 200: { description: 'metrics', content: { 'text/plain': { schema: z.string() } } } },
    }),
  ],
};

import { z } from 'zod';
import type { ApiFragment } from './fragment.js';
import { jsonResponse, open } from './schemas.js';

/**
 * `/healthz`, `/readyz`, `/metrics` (`opsRoutes` in @copycloud/observability),
 * served identically by every service.
 */
export const opsFragment: ApiFragment = {
  service: 'observability',
  tags: [{ name: 'ops', description: 'Probes and metrics, served by every service.' }],
  paths: {
    '/healthz': {
      get: {
        operationId: 'healthz',
        summary: 'Liveness: the process is up',
        tags: ['ops'],
        security: open,
        responses: { '200': jsonResponse('alive', z.object({ status: z.literal('ok') })) },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readyz',
        summary: 'Readiness: dependencies (database, Redis…) reachable and not draining',
        tags: ['ops'],
        security: open,
        responses: {
          '200': jsonResponse('ready', z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()).describe('`ok` per check') })),
          '503': jsonResponse(
            'draining (shutdown began) or a check failed',
            z.object({
              status: z.enum(['draining', 'unavailable']),
              checks: z.record(z.string(), z.string()).optional().describe('`ok` or why not, per check'),
            }),
          ),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics (text exposition format)',
        tags: ['ops'],
        security: open,
        responses: { '200': { description: 'metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
  },
};

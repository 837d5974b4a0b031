import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { initLabelSets, labelCombinations } from '@copycloud/observability';
import { AI_ERROR_CODES } from '@copycloud/protocol';

const ENDPOINTS = ['complete', 'rewrite'] as const;

export interface AiMetrics {
  requests: Counter<'endpoint' | 'outcome'>;
  tokens: Counter<'direction'>;
  errors: Counter<'code'>;
  duration: Histogram<'endpoint'>;
  firstToken: Histogram<'endpoint'>;
  activeStreams: Gauge;
}

export function createAiMetrics(registry: Registry): AiMetrics {
  const metrics: AiMetrics = {
    requests: new Counter({ name: 'copycloud_ai_requests_total', help: 'AI requests by endpoint and outcome (ok or error code)', labelNames: ['endpoint', 'outcome'], registers: [registry] }),
    tokens: new Counter({ name: 'copycloud_ai_tokens_total', help: 'Tokens used, by direction (input, output)', labelNames: ['direction'], registers: [registry] }),
    errors: new Counter({ name: 'copycloud_ai_errors_total', help: 'AI request failures by error code', labelNames: ['code'], registers: [registry] }),
    duration: new Histogram({ name: 'copycloud_ai_request_duration_seconds', help: 'Time from request to end of stream', labelNames: ['endpoint'], buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60], registers: [registry] }),
    firstToken: new Histogram({ name: 'copycloud_ai_first_token_seconds', help: 'Time from request to first token forwarded', labelNames: ['endpoint'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers: [registry] }),
    activeStreams: new Gauge({ name: 'copycloud_ai_active_streams', help: 'AI streams open now', registers: [registry] }),
  };
  // Every known label set at 0 from the start, so dashboards show 0 rather than no data.
  initLabelSets(metrics.tokens, labelCombinations({ direction: ['input', 'output'] }));
  initLabelSets(metrics.requests, labelCombinations({ endpoint: ENDPOINTS, outcome: ['ok'] }));
  initLabelSets(metrics.errors, labelCombinations({ code: AI_ERROR_CODES }));
  initLabelSets(metrics.duration, labelCombinations({ endpoint: ENDPOINTS }));
  initLabelSets(metrics.firstToken, labelCombinations({ endpoint: ENDPOINTS }));
  return metrics;
}

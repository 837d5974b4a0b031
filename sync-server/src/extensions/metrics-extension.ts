import type { Extension, onChangePayload } from '@hocuspocus/server';
import { classifyOrigin } from '../origins.js';
import type { SyncMetrics } from '../metrics.js';

/** Counts applied updates by origin; connection/document gauges collect on scrape. */
export class MetricsExtension implements Extension {
  readonly extensionName = 'copycloud-metrics';
  readonly priority = 10;

  constructor(private readonly metrics: SyncMetrics) {}

  async onChange({ transactionOrigin }: onChangePayload): Promise<void> {
    this.metrics.updatesApplied.inc({ origin: classifyOrigin(transactionOrigin) });
  }
}

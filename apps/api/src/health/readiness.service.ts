import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../../../core/schemas/config';
import { SharedRead } from '../cache/shared-read';
import { MetricsService } from '../metrics/metrics.service';
import { TemporalService } from '../temporal/temporal.service';
import { CONFIG } from '../tokens';

/**
 * Whether Temporal answers, probed at most once per `READYZ_CACHE_MS` for all `/readyz`
 * requests (single flight): a probe per request would put load balancers' and attackers'
 * polling on Temporal, and a burst of them would time out and report the API unready.
 */
@Injectable()
export class ReadinessService {
  private readonly probe: SharedRead<boolean>;

  constructor(
    temporal: TemporalService,
    metrics: MetricsService,
    @Inject(CONFIG) config: Config,
  ) {
    this.probe = new SharedRead(async () => {
      const reachable = await temporal.isReachable();
      metrics.readinessProbes.inc({ outcome: reachable ? 'reachable' : 'unreachable' });
      return reachable;
    }, config.readyzCacheMs);
  }

  isReady(): Promise<boolean> {
    return this.probe.get();
  }
}

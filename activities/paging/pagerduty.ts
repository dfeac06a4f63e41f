import type { PageResult } from '../../core/schemas/capabilities/paging';
import type { PagerDutySettings } from '../../core/schemas/integrations-config';
import { fitKey, fitText, VendorLimits } from '../fit';
import { VendorHttp } from '../vendor-http';
import type { PageCommand, PagingPort } from './port';

/** PagerDuty's Events API v2. The routing key travels in the body, never in a header or URL. */
export function createPagerDutyApi(settings: PagerDutySettings, timeoutMs: number): VendorHttp {
  return new VendorHttp({
    vendor: 'PagerDuty',
    baseUrl: settings.eventsUrl,
    timeoutMs,
    secrets: [settings.routingKey.reveal()],
  });
}

/**
 * PagerDuty paging through Events API v2. Every event carries the incident's dedup key as
 * `dedup_key`: PagerDuty keeps one alert per key, so a repeated trigger adds to the open
 * alert instead of opening a second, and acknowledge/resolve act on that alert. A dedup key
 * over PagerDuty's 255 characters is fitted (prefix plus hash, the same for every event of
 * the incident) and a summary over 1,024 is cut with an ellipsis.
 */
export class PagerDutyPaging implements PagingPort {
  constructor(
    private readonly api: VendorHttp,
    private readonly settings: Pick<PagerDutySettings, 'routingKey'>,
  ) {}

  async page(command: PageCommand): Promise<PageResult> {
    const dedupKey = fitKey(command.dedupKey, VendorLimits.pagerDutyDedupKey);
    const answer = await this.api.request<{ dedup_key?: string }>(`${command.action} event`, '/v2/enqueue', {
      method: 'POST',
      body: {
        routing_key: this.settings.routingKey.reveal(),
        event_action: command.action,
        dedup_key: dedupKey,
        client: 'Firebreak',
        ...(command.action === 'trigger'
          ? {
              payload: {
                summary: fitText(command.summary, VendorLimits.pagerDutySummary),
                source: 'firebreak',
                severity: command.severity,
                custom_details: {
                  incident_id: command.incidentId,
                  targets: command.targets,
                  ...(command.level !== undefined ? { escalation_level: command.level } : {}),
                  idempotency_key: command.idempotencyKey,
                },
              },
            }
          : {}),
      },
    });
    return { dedupKey: answer?.dedup_key ?? dedupKey, delivered: true, provider: 'pagerduty' };
  }
}

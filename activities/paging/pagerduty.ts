import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { PageResult } from '../../core/schemas/capabilities/paging';
import type { PagerDutySettings, Secret } from '../../core/schemas/integrations-config';
import { parseTarget } from '../../core/model/oncall/targets';
import { fitKey, fitText, VendorLimits } from '../fit';
import { VendorHttp } from '../vendor-http';
import type { PageCommand, PagingPort } from './port';

/** PagerDuty's Events API v2. Routing keys travel in the body, never in a header or URL. */
export function createPagerDutyApi(settings: PagerDutySettings, timeoutMs: number): VendorHttp {
  return new VendorHttp({
    vendor: 'PagerDuty',
    baseUrl: settings.eventsUrl,
    timeoutMs,
    secrets: [settings.routingKey, ...settings.services.values()].filter((key): key is Secret => key !== undefined).map((key) => key.reveal()),
  });
}

/**
 * PagerDuty paging through Events API v2, one alert per incident and escalation level:
 * - Each level's targets choose the routing key: a `pagerduty:<service>` target its
 *   service's key (`PAGERDUTY_SERVICE_KEYS`), any other target the default key
 *   (`PAGERDUTY_ROUTING_KEY`). A level naming two services sends to both.
 * - The dedup key is the incident's dedup key plus the level (`…#level-2`), so level 2
 *   opens an alert of its own instead of adding to level 1's; a page without a level (the
 *   incident's own acknowledge/resolve from before levels were keyed) uses the incident's
 *   key alone. PagerDuty keeps one alert per key, so a repeated trigger adds to the open
 *   alert, and acknowledge and resolve act on it.
 * - A dedup key over PagerDuty's 255 characters is fitted (prefix plus a hash of the whole,
 *   so two levels stay apart) and a summary over 1,024 is cut with an ellipsis.
 */
export class PagerDutyPaging implements PagingPort {
  constructor(
    private readonly api: VendorHttp,
    private readonly settings: Pick<PagerDutySettings, 'routingKey' | 'services'>,
  ) {}

  async page(command: PageCommand): Promise<PageResult> {
    const dedupKey = fitKey(command.level === undefined ? command.dedupKey : `${command.dedupKey}#level-${command.level}`, VendorLimits.pagerDutyDedupKey);
    let answered: string | undefined;
    for (const routingKey of this.routingKeys(command.targets)) {
      const answer = await this.api.request<{ dedup_key?: string }>(`${command.action} event`, '/v2/enqueue', {
        method: 'POST',
        body: {
          routing_key: routingKey.reveal(),
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
      answered ??= answer?.dedup_key;
    }
    return { dedupKey: answered ?? dedupKey, delivered: true, provider: 'pagerduty' };
  }

  /** The distinct routing keys `targets` reach: each service's own, and the default for the rest. */
  private routingKeys(targets: readonly string[]): Secret[] {
    const keys = new Set<Secret>();
    let needsDefault = targets.length === 0;
    for (const text of targets) {
      const target = parseTarget(text);
      if (target?.kind !== 'pagerduty') {
        needsDefault = true;
        continue;
      }
      const key = this.settings.services.get(target.service);
      if (!key) throw refused(`PagerDuty service "${target.service}" has no routing key: add ${target.service}=<key> to PAGERDUTY_SERVICE_KEYS`);
      keys.add(key);
    }
    if (needsDefault) {
      if (!this.settings.routingKey) throw refused('no default PagerDuty routing key for these targets: set PAGERDUTY_ROUTING_KEY or page pagerduty:<service> targets');
      keys.add(this.settings.routingKey);
    }
    return [...keys];
  }
}

const refused = (message: string) => ApplicationFailure.create({ message, type: CapabilityFailure.Rejected, nonRetryable: true });

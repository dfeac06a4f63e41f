import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type MetricAlarm,
  type Tag,
} from '@aws-sdk/client-cloudwatch';
import type { Alarm, AlarmList, AlarmState } from '../../core/schemas/capabilities/monitoring';
import type { CloudWatchSettings } from '../../core/schemas/integrations-config';
import { awsClientConfig } from '../aws-client';
import { awsProblem } from '../aws-failures';
import { fitText } from '../fit';
import { vendorFailure } from '../http-failures';
import type { ListAlarmsQuery, MonitoringPort } from './port';

const VENDOR = 'CloudWatch';

/** DescribeAlarms answers at most 100 alarms a page. */
const PAGE_SIZE = 100;
/** Pages of DescribeAlarms read per call, at most: 1,000 alarms, ranked before the answer is cut. */
const PAGES_MAX = 10;
/** With `tags`: ListTagsForResource calls per call, at most, and how many run at once. */
const TAG_LOOKUPS_MAX = 100;
const TAG_LOOKUPS_AT_ONCE = 5;
/** Characters kept of an alarm's fields: CloudWatch's own limit for names, less for its reason. */
const FIELDS = { name: 255, reason: 256, namespace: 255, metric: 255 } as const;

const STATE_RANK: Record<AlarmState, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

/** The official CloudWatch client, set up as {@link awsClientConfig} says. */
export function createCloudWatchClient(
  settings: Pick<CloudWatchSettings, 'region' | 'endpoint'>,
  timeoutMs: number,
  credentials?: CloudWatchClientConfig['credentials'],
): CloudWatchClient {
  return new CloudWatchClient(awsClientConfig(settings, timeoutMs, credentials));
}

interface Found {
  alarm: Alarm;
  arn?: string;
}

/**
 * CloudWatch alarms, metric and composite. DescribeAlarms with `AlarmNamePrefix` reads up to
 * 10 pages (1,000 alarms), which are ranked (ALARM first, then INSUFFICIENT_DATA, then OK;
 * by name within each) before the answer is cut to `limit`, so an alarm that fires is not
 * lost behind quiet ones. With `tags`, each candidate's tags are read with
 * ListTagsForResource, in rank order, at most 100 lookups: one call per alarm examined, so a
 * prefix beside the tags keeps it cheap. `truncated` says some alarms were not read or not
 * examined.
 */
export class CloudWatchMonitoring implements MonitoringPort {
  constructor(private readonly cloudwatch: CloudWatchClient) {}

  async listAlarms({ prefix, tags, limit }: ListAlarmsQuery): Promise<AlarmList> {
    const { found, more } = await this.describe(prefix);
    const ranked = found.sort(
      (a, b) => STATE_RANK[a.alarm.state] - STATE_RANK[b.alarm.state] || (a.alarm.name < b.alarm.name ? -1 : a.alarm.name > b.alarm.name ? 1 : 0),
    );
    if (!tags) {
      return { provider: 'cloudwatch', alarms: ranked.slice(0, limit).map(({ alarm }) => alarm), truncated: more || ranked.length > limit };
    }
    const wanted = Object.entries(tags);
    const matched: Alarm[] = [];
    let examined = 0;
    let overflow = false;
    while (matched.length < limit && examined < ranked.length && examined < TAG_LOOKUPS_MAX) {
      const batch = ranked.slice(examined, Math.min(examined + TAG_LOOKUPS_AT_ONCE, TAG_LOOKUPS_MAX));
      examined += batch.length;
      const carried = await Promise.all(batch.map(({ arn }) => (arn ? this.tagsOf(arn) : Promise.resolve([]))));
      batch.forEach(({ alarm }, i) => {
        const has = new Map(carried[i].map((tag) => [tag.Key, tag.Value ?? '']));
        if (!wanted.every(([key, value]) => has.get(key) === value)) return;
        if (matched.length < limit) matched.push(alarm);
        else overflow = true;
      });
    }
    return { provider: 'cloudwatch', alarms: matched, truncated: more || overflow || examined < ranked.length };
  }

  /** Every alarm with the prefix, up to {@link PAGES_MAX} pages; `more` when pages were left unread. */
  private async describe(prefix: string | undefined): Promise<{ found: Found[]; more: boolean }> {
    const found: Found[] = [];
    let token: string | undefined;
    for (let page = 0; page < PAGES_MAX; page += 1) {
      const answer = await this.call('describe alarms', () =>
        this.cloudwatch.send(
          new DescribeAlarmsCommand({
            ...(prefix ? { AlarmNamePrefix: prefix } : {}),
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      found.push(...(answer.MetricAlarms ?? []).map(metricAlarm), ...(answer.CompositeAlarms ?? []).map(compositeAlarm));
      token = answer.NextToken;
      if (!token) return { found, more: false };
    }
    return { found, more: true };
  }

  /** The alarm's tags; none when it was deleted since it was listed. */
  private async tagsOf(arn: string): Promise<Tag[]> {
    try {
      const answer = await this.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
      return answer.Tags ?? [];
    } catch (error) {
      if ((error as { name?: string }).name?.startsWith('ResourceNotFound')) return [];
      throw vendorFailure(awsProblem(VENDOR, 'list tags for resource', error));
    }
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw vendorFailure(awsProblem(VENDOR, operation, error));
    }
  }
}

function stateOf(value: string | undefined): AlarmState {
  return value === 'OK' || value === 'ALARM' ? value : 'INSUFFICIENT_DATA';
}

function common(alarm: MetricAlarm | CompositeAlarm, kind: Alarm['kind']): Alarm {
  return {
    name: fitText(alarm.AlarmName ?? '', FIELDS.name),
    state: stateOf(alarm.StateValue),
    ...(alarm.StateReason ? { reason: fitText(alarm.StateReason, FIELDS.reason) } : {}),
    ...(alarm.StateUpdatedTimestamp ? { updatedAt: alarm.StateUpdatedTimestamp.toISOString() } : {}),
    kind,
  };
}

function metricAlarm(alarm: MetricAlarm): Found {
  return {
    alarm: {
      ...common(alarm, 'metric'),
      ...(alarm.Namespace ? { namespace: fitText(alarm.Namespace, FIELDS.namespace) } : {}),
      ...(alarm.MetricName ? { metric: fitText(alarm.MetricName, FIELDS.metric) } : {}),
    },
    ...(alarm.AlarmArn ? { arn: alarm.AlarmArn } : {}),
  };
}

function compositeAlarm(alarm: CompositeAlarm): Found {
  return { alarm: common(alarm, 'composite'), ...(alarm.AlarmArn ? { arn: alarm.AlarmArn } : {}) };
}

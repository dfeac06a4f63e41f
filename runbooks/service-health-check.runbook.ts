import { z } from 'zod';
import { defineRunbook, type RunbookContext } from '../core/model/runbook';
import { type AlarmList, AlarmNamePrefixSchema, AlarmTagsSchema, type ListAlarmsInput } from '../core/schemas/capabilities/monitoring';
import type { ServiceDescription } from '../core/schemas/capabilities/scaling';

/**
 * What a check found. `healthy`: nothing wrong; `degraded`: running, but not as intended;
 * `unhealthy`: a failure; `unknown`: nothing to judge by. RUNBOOKS.md says what each check
 * calls which.
 */
type Verdict = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

/** Alarm names written to the timeline per state; the result holds them all. */
const NAMES_SHOWN = 10;
/** ECS service events that report a failure: placement, start-up, health checks, a failed rollout. */
const FAILURE_EVENT = /unable to|has started 0 tasks|failed|unhealthy|rolling back|CannotPullContainer|ResourceInitializationError|OutOfMemory/i;
/** Failures reported before this are over. */
const STEADY_EVENT = /has reached a steady state/i;
/** Runs from before this change only described the service (runbook version 1). */
const VERDICTS = 'alarms-events-verdicts';

const Input = z.object({
  cluster: z.string().min(1),
  service: z.string().min(1),
  /** How many of the service's most recent events to read. */
  events: z.number().int().min(0).max(50).default(5),
  alarmPrefix: AlarmNamePrefixSchema.optional().describe('Alarms whose name starts with this. Default: the service name, unless alarmTags are given.'),
  alarmTags: AlarmTagsSchema.optional().describe('Alarms that carry all of these tags, e.g. {"service":"checkout"}.'),
});
type Input = z.infer<typeof Input>;

/**
 * Checks a service — its tasks, deployments, CloudWatch alarms and recent ECS events — and
 * writes a verdict per check and overall to the incident's timeline.
 */
export default defineRunbook({
  id: 'service-health-check',
  title: 'Service health check',
  description: 'Judges a service\'s tasks, deployments, alarms and recent events, and writes the verdicts to the incident timeline.',
  version: 2,
  input: Input,
  fromAlert: (alert) => ({ cluster: alert.labels.cluster ?? 'default', service: alert.service ?? alert.labels.service ?? 'unknown' }),
  // Not destructive: it only reads (the service's state and its alarms).
  destructive: false,
  uses: ['scaling', 'monitoring'],
  async run(ctx, input) {
    const service = await ctx.scaling.describeService({ ref: { cluster: input.cluster, service: input.service } });
    if (!ctx.patched(VERDICTS)) return describeOnly(ctx, input, service);

    const query = alarmQuery(input);
    const alarms = await ctx.monitoring.listAlarms(query);
    const checks = {
      tasks: tasksCheck(service),
      deployments: deploymentsCheck(service),
      alarms: alarmsCheck(alarms, query),
      events: eventsCheck(service, input.events),
    };
    // A dry run read nothing: its placeholders prove nothing about the service.
    const verdict: Verdict = ctx.dryRun ? 'unknown' : overall(checks);
    const findings = [
      `${input.service} on ${input.cluster}: ${verdict}${ctx.dryRun ? ' (dry run: nothing was read)' : ''}`,
      ...Object.entries(checks).map(([name, check]) => `${name}: ${check.verdict}: ${check.detail}`),
      ...service.events.slice(0, input.events).map((event) => `event${event.at ? ` ${event.at}` : ''}: ${event.message}`),
    ];
    await ctx.incident.note(findings.join('\n'));
    return { verdict, healthy: verdict === 'healthy', checks, findings };
  },
});

/** Version 1, kept for runs started before the verdicts: the description only. */
async function describeOnly(ctx: Pick<RunbookContext, 'incident'>, input: Input, service: ServiceDescription) {
  const healthy = service.runningCount >= service.desiredCount && service.pendingCount === 0;
  const lines = [
    `${input.service} on ${input.cluster}: ${service.runningCount}/${service.desiredCount} tasks running, ${service.pendingCount} pending${healthy ? '' : ' — below desired'}`,
    ...service.deployments.map((deployment) => `deployment ${deployment.id}: ${deployment.status}${deployment.taskDefinition ? ` (${deployment.taskDefinition})` : ''}`),
    ...service.events.slice(0, input.events).map((event) => `event${event.at ? ` ${event.at}` : ''}: ${event.message}`),
  ];
  await ctx.incident.note(lines.join('\n'));
  return { healthy, findings: lines };
}

/** The alarms to read: the prefix given, or the tags alone, or else the service's name as the prefix. */
function alarmQuery(input: Input): Omit<ListAlarmsInput, 'limit'> {
  if (input.alarmPrefix !== undefined || input.alarmTags !== undefined) {
    return { ...(input.alarmPrefix !== undefined ? { prefix: input.alarmPrefix } : {}), ...(input.alarmTags ? { tags: input.alarmTags } : {}) };
  }
  // A shorter prefix matches a superset: cut a long name to CloudWatch's limit, never mid-pair.
  let prefix = input.service.slice(0, 255);
  if (/[\ud800-\udbff]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return { prefix };
}

function tasksCheck({ desiredCount: desired, runningCount: running, pendingCount: pending }: ServiceDescription) {
  const counts = { desired, running, pending };
  const detail = `${running}/${desired} running, ${pending} pending`;
  if (desired === 0) return { verdict: 'unknown' as Verdict, detail: `${detail}: no task is meant to run`, ...counts };
  if (running >= desired && pending === 0) return { verdict: 'healthy' as Verdict, detail, ...counts };
  if (running === 0) return { verdict: 'unhealthy' as Verdict, detail: `${detail}: none running`, ...counts };
  return { verdict: 'degraded' as Verdict, detail: `${detail}: below desired`, ...counts };
}

function deploymentsCheck({ deployments }: ServiceDescription) {
  const named = deployments.map((deployment) => `${deployment.id} ${deployment.status}${deployment.taskDefinition ? ` (${deployment.taskDefinition})` : ''}`);
  const count = deployments.length;
  if (count === 0) return { verdict: 'unknown' as Verdict, detail: 'no deployment reported', count };
  if (count === 1) return { verdict: 'healthy' as Verdict, detail: `settled: ${named[0]}`, count };
  return { verdict: 'degraded' as Verdict, detail: `rollout in progress: ${named.join(', ')}`, count };
}

function alarmsCheck({ provider, alarms, truncated }: AlarmList, query: Omit<ListAlarmsInput, 'limit'>) {
  const inAlarm = alarms.filter((alarm) => alarm.state === 'ALARM').map((alarm) => alarm.name);
  const insufficientData = alarms.filter((alarm) => alarm.state === 'INSUFFICIENT_DATA').map((alarm) => alarm.name);
  const found = { matched: alarms.length, inAlarm, insufficientData, truncated };
  const more = truncated ? ' (more alarms match than were read)' : '';
  if (provider === 'dry-run') return { verdict: 'unknown' as Verdict, detail: 'not read in a dry run', ...found };
  if (provider === 'local') return { verdict: 'unknown' as Verdict, detail: 'no monitoring system is configured (MONITORING_PROVIDER=local)', ...found };
  if (alarms.length === 0) return { verdict: 'unknown' as Verdict, detail: `no alarm matches ${describeQuery(query)}`, ...found };
  if (inAlarm.length > 0) return { verdict: 'unhealthy' as Verdict, detail: `in ALARM: ${listed(inAlarm)}${more}`, ...found };
  if (insufficientData.length > 0) {
    return { verdict: 'degraded' as Verdict, detail: `insufficient data: ${listed(insufficientData)}; ${alarms.length - insufficientData.length} OK${more}`, ...found };
  }
  return { verdict: 'healthy' as Verdict, detail: `${alarms.length} OK${more}`, ...found };
}

/** Failure-looking events among the `wanted` newest, up to the last time the service reached a steady state. */
function eventsCheck({ events }: ServiceDescription, wanted: number) {
  if (wanted === 0) return { verdict: 'unknown' as Verdict, detail: 'not read (events: 0)', failures: [] as string[] };
  const recent = events.slice(0, wanted);
  const steady = recent.findIndex((event) => STEADY_EVENT.test(event.message));
  const failures = (steady < 0 ? recent : recent.slice(0, steady)).filter((event) => FAILURE_EVENT.test(event.message)).map((event) => event.message);
  if (failures.length > 0) {
    return { verdict: 'unhealthy' as Verdict, detail: `${failures.length} failure${failures.length === 1 ? '' : 's'}${steady < 0 ? '' : ' since the last steady state'}: ${failures[0]}`, failures };
  }
  return { verdict: 'healthy' as Verdict, detail: recent.length === 0 ? 'no recent events' : `no failure in the ${recent.length} most recent`, failures };
}

/** The worst verdict of any check; `healthy` only when the tasks are. */
function overall(checks: { tasks: { verdict: Verdict } } & Record<string, { verdict: Verdict }>): Verdict {
  const verdicts = Object.values(checks).map((check) => check.verdict);
  if (verdicts.includes('unhealthy')) return 'unhealthy';
  if (verdicts.includes('degraded')) return 'degraded';
  return checks.tasks.verdict === 'healthy' ? 'healthy' : 'unknown';
}

function describeQuery({ prefix, tags }: Omit<ListAlarmsInput, 'limit'>): string {
  const parts = [...(prefix !== undefined ? [`prefix "${prefix}"`] : []), ...(tags ? [`tags ${JSON.stringify(tags)}`] : [])];
  return parts.join(' and ');
}

function listed(names: string[]): string {
  return names.length > NAMES_SHOWN ? `${names.slice(0, NAMES_SHOWN).join(', ')} and ${names.length - NAMES_SHOWN} more` : names.join(', ');
}

/**
 * Runbook executions of a round on the real adapters (kickoff: Jira, Slack, Zoom,
 * Statuspage, PagerDuty; rollback: GitHub; scale-out: ECS on moto), then the checks that
 * each ended `completed` or `failed` and that every vendor side effect of a step happened
 * exactly once: found by the idempotency marker each adapter leaves on what it creates.
 */
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { ExecutionSnapshot, StepRecord } from '../core/model/execution';
import { keyDigest } from '../activities/step-input';
import type { FirebreakApi } from './api';
import { boundedWait, type Invariant } from './invariants';
import { GITHUB_SCOPE, type Vendors } from './vendors';

export interface RunbookMix {
  kickoffs: number;
  rollbacks: number;
  scaleOuts: number;
}

export interface Launched {
  runbookId: string;
  id: string;
}

/**
 * How an execution ends visibly: completed, failed, or refused by its guardrail
 * (`over-budget`: the target's budget was spent and a human was paged instead).
 */
const TERMINAL = new Set(['completed', 'failed', 'over-budget']);

/** A fresh ECS service (2 tasks) on a cluster of its own: the scale-out budget counts per service. */
async function ecsService(vendors: Vendors, cluster: string): Promise<void> {
  await vendors.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const definition = await vendors.ecs.send(new RegisterTaskDefinitionCommand({ family: cluster, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
  await vendors.ecs.send(new CreateServiceCommand({ cluster, serviceName: 'api', taskDefinition: definition.taskDefinition!.taskDefinitionArn!, desiredCount: 2 }));
}

/** Launches a round's executions through the API; answers what started. */
export async function launchRunbooks(api: FirebreakApi, vendors: Vendors, round: string, mix: RunbookMix): Promise<Launched[]> {
  const launches: Array<{ runbookId: string; input: Record<string, unknown> }> = [];
  for (let i = 1; i <= mix.kickoffs; i++) {
    launches.push({ runbookId: 'major-incident-kickoff', input: { title: `Chaos ${round} kickoff ${i}`, service: `svc-${round}-${i}` } });
  }
  for (let i = 1; i <= mix.rollbacks; i++) {
    launches.push({ runbookId: 'rollback-bad-deploy', input: { service: `shop-${round}-${i}`, scope: `${GITHUB_SCOPE.owner}/${GITHUB_SCOPE.repo}` } });
  }
  for (let i = 1; i <= mix.scaleOuts; i++) {
    const cluster = `chaos-${round}-${i}`;
    await ecsService(vendors, cluster);
    launches.push({ runbookId: 'scale-out-on-high-cpu', input: { cluster, service: 'api', step: 2, max: 6 } });
  }
  const launched: Launched[] = [];
  for (const { runbookId, input } of launches) {
    const answer = await api.post<{ id: string }>(`/v1/runbooks/${runbookId}/executions`, { input });
    if (answer.status !== 201) throw new Error(`launching ${runbookId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    launched.push({ runbookId, id: answer.body.id });
  }
  return launched;
}

/** Whether some execution has done a step and is still running: the moment a worker kill is "mid-runbook". */
export async function midRunbook(api: FirebreakApi, launched: Launched[]): Promise<boolean> {
  for (const { id } of launched) {
    const { status, body } = await api.get<ExecutionSnapshot>(`/v1/executions/${id}`);
    if (status === 200 && body.status === 'running' && body.steps.some((step) => step.status === 'completed')) return true;
  }
  return false;
}

/** Every execution ended `completed` or `failed`, within the bound; answers the snapshots read. */
export async function checkExecutionsEnded(api: FirebreakApi, launched: Launched[], timeoutMs: number): Promise<{ invariant: Invariant; executions: ExecutionSnapshot[] }> {
  const latest = new Map<string, ExecutionSnapshot>();
  await boundedWait(timeoutMs, async () => {
    for (const { id } of launched.filter((l) => !TERMINAL.has(latest.get(l.id)?.status ?? ''))) {
      const { status, body } = await api.get<ExecutionSnapshot>(`/v1/executions/${id}`);
      if (status === 200) latest.set(id, body);
    }
    return launched.every((l) => TERMINAL.has(latest.get(l.id)?.status ?? ''));
  });
  const executions = [...latest.values()];
  const counts: Record<string, number> = { launched: launched.length, completed: 0, failed: 0, 'over-budget': 0, stuck: 0 };
  for (const { id } of launched) {
    const status = latest.get(id)?.status ?? '';
    if (TERMINAL.has(status)) counts[status]++;
    else counts.stuck++;
  }
  const failures = executions.filter((e) => e.status === 'failed').map((e) => `${e.runbookId}: ${e.outcome?.error ?? '?'}`);
  return {
    invariant: { name: 'executions ended completed or failed (or over budget), none stuck', ok: counts.stuck === 0, counts, ...(failures.length ? { note: failures.slice(0, 5).join(' | ') } : {}) },
    executions,
  };
}

/** How many of a vendor's records carry the marker of one step's idempotency key. */
type EffectCounter = (vendors: Vendors, key: string, step: StepRecord) => Promise<number> | number;

/**
 * The side effects a step makes, by step name, and how to count them at the vendor: each
 * adapter marks what it creates with the step's idempotency key (docs/integrations.md).
 */
const EFFECTS: Record<string, { kind: string; count: EffectCounter }> = {
  'ticketing.createTicket': {
    kind: 'jira issues',
    count: ({ jira }, key) => [...jira.issues.values()].filter((issue) => issue.fields.labels.includes(`firebreak-${keyDigest(key)}`)).length,
  },
  'chat.createChannel': {
    kind: 'slack channels',
    count: ({ slack }, key) => slack.channels.filter((channel) => channel.name.endsWith(`-${keyDigest(key, 6)}`)).length,
  },
  'chat.postMessage': {
    kind: 'slack messages',
    count: ({ slack }, key) =>
      slack.channels.flatMap((channel) => channel.messages).filter((message) => (message.metadata as { event_payload?: { idempotency_key?: string } } | undefined)?.event_payload?.idempotency_key === key).length,
  },
  'video.createMeeting': {
    kind: 'zoom meetings',
    count: ({ zoom }, key) => zoom.meetings.filter((meeting) => JSON.stringify(meeting).includes(`firebreak-step:${keyDigest(key)}`)).length,
  },
  'statusPage.openIncident': {
    kind: 'status incidents',
    count: ({ statuspage }, key) => statuspage.incidents.filter((incident) => incident.metadata?.firebreak?.idempotency_key === key).length,
  },
  'paging.page': {
    kind: 'pagerduty pages',
    // PagerDuty keeps one alert per dedup key, whatever the retries: the page is that alert.
    count: ({ pagerduty }, _key, step) => (pagerduty.alerts.has(String((step.args as { dedupKey?: string }).dedupKey)) ? 1 : 0),
  },
  'deploy.rollback': {
    kind: 'github deployments',
    count: ({ github }, key) => github.deployments.filter((d) => (d.payload as { firebreak?: { idempotency_key?: string } }).firebreak?.idempotency_key === key).length,
  },
  'scaling.scaleService': {
    kind: 'ecs updates',
    // ECS keeps no key: a scale applied twice would step the desired count twice, so the
    // service must want exactly what the step asked for.
    count: async ({ ecs }, _key, step) => {
      const { ref, desiredCount } = step.args as { ref: { cluster: string; service: string }; desiredCount: number };
      const [service] = (await ecs.send(new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }))).services ?? [];
      return service?.desiredCount === desiredCount ? 1 : 0;
    },
  },
};

/**
 * Every completed side-effecting step made its effect exactly once at the vendor; a step
 * that failed made it at most once. Compensations (steps that undo another) are left out:
 * they update what the step made.
 */
export async function checkRunbookEffects(vendors: Vendors, executions: ExecutionSnapshot[]): Promise<Invariant> {
  const counts: Record<string, number> = {};
  const problems: string[] = [];
  for (const execution of executions) {
    for (const step of execution.steps) {
      const effect = EFFECTS[step.name];
      if (!effect || step.compensates || step.status === 'planned') continue;
      // A scale undone by its compensation no longer shows as the desired count it set.
      if (step.name === 'scaling.scaleService' && execution.steps.some((other) => other.compensates === step.id)) continue;
      const found = await effect.count(vendors, `${execution.id}/${step.id}`, step);
      counts[`${effect.kind}: steps`] = (counts[`${effect.kind}: steps`] ?? 0) + (step.status === 'completed' ? 1 : 0);
      counts[`${effect.kind}: at vendor`] = (counts[`${effect.kind}: at vendor`] ?? 0) + found;
      const expected = step.status === 'completed' ? found === 1 : found <= 1;
      if (!expected) problems.push(`${execution.id} ${step.id} (${step.status}): ${found} ${effect.kind}`);
    }
  }
  counts.violations = problems.length;
  return { name: 'vendor side effects exactly once per step', ok: problems.length === 0, counts, ...(problems.length ? { note: problems.slice(0, 5).join(' | ') } : {}) };
}

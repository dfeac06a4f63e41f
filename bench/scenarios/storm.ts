/**
 * Scenario 2, alert storm: `alerts` alerts over `keys` dedup keys from `concurrency`
 * concurrent clients, each sending its next alert as soon as the last was answered. Then,
 * once the system has settled, every incident is read back: incidents must equal keys, and
 * the alerts recorded (sum of `alertCount`) must equal the alerts acknowledged.
 * Baseline: one raw update-with-start per alert (same keys, same concurrency) on a minimal
 * workflow. Rounds alternate Firebreak and baseline (A, B, A, B), each on fresh keys.
 * Firebreak may answer `queued` (durable in an alert queue, delivered right after), so
 * "settled" means every acknowledged alert is on its incident; each system's figures from
 * the first alert sent to the last one recorded are reported beside the acceptance rate.
 *
 * The storm's alerts are SEV4 on the default route, so every incident pages its first level;
 * each key's time from its first acknowledgement to its incident's first page (the
 * baseline: to its first action) is reported. Each round also sends `urgentProbes` SEV1
 * alerts one at a time before the storm (idle) and again from its middle on (each a new key
 * on the same route): how long a SEV1 alert waits for its first page behind a SEV4 storm.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { IncidentSnapshot } from '../../core/model/incident';
import { baselineCountQuery } from '../baseline/messages';
import { now } from '../lib/clock';
import type { Answer } from '../lib/http';
import { pool, seededRandom, shuffle } from '../lib/pool';
import { quantiles, ratio, round, type Summary, summarize } from '../lib/stats';
import { type CpuSeconds, cpuMsPer, type System } from '../lib/system';
import { type AlertAnswer, benchIncidentId, firingAlert } from './alerts';

export type StormOrder = 'shuffled' | 'bursty';

/** How long, after the storm, the bench waits for each key's first page (or first action). */
const PAGE_BOUND_MS = 300_000;

export interface StormOptions {
  alerts: number;
  keys: number;
  concurrency: number;
  repetitions: number;
  /** `shuffled`: the alerts of all keys in a random (seeded) order; `bursty`: each key's alerts back to back. */
  order: StormOrder;
  /** SEV1 alerts sent one at a time before the storm and again from its middle on, per round (0: none). */
  urgentProbes: number;
}

/**
 * Alert → first page of SEV1 alerts sent one at a time, with nothing else running and amid
 * the storm (ms), and the part of it until the alert was acknowledged.
 */
export interface UrgentProbes {
  idle_ms: Summary;
  storm_ms: Summary;
  idle_ack_ms: Summary;
  storm_ack_ms: Summary;
}

/** One urgent alert: sent → acknowledged, and sent → first page (ms). */
interface Probed {
  ack: number;
  page: number;
}

interface Tally {
  sent: number;
  /** 2xx answers: acknowledged, so they must be recorded. */
  accepted: number;
  status_503: number;
  /** Other statuses, and requests with no answer (counted as not acknowledged). */
  other: number;
}

export interface StormRound extends Tally {
  system: 'firebreak' | 'baseline';
  repetition: number;
  seconds: number;
  accepted_per_s: number;
  ack_ms: Summary;
  keys: number;
  incidents: number;
  recorded: number;
  lost: number;
  duplicated: number;
  /** Recorded although answered 503 or not at all: allowed (a 503 promises nothing), reported apart. */
  recorded_unacknowledged: number;
  /** Incidents counted through visibility (the `FirebreakService` search attribute). */
  visible_incidents?: number;
  settle_seconds: number;
  /** Alerts recorded per second from the first sent to the last recorded (acceptance and settling). */
  end_to_end_per_s: number;
  /** Firebreak only: answers `queued`, the alert queues written, and those that had to deliver their alerts themselves. */
  queued?: number;
  alert_queues?: number;
  alert_queues_recovered?: number;
  /**
   * From the histories of up to 100 of the round's workflows: per alert recorded, the
   * Temporal updates (calls that reached a workflow), workflow tasks and history events.
   */
  history_per_alert: HistoryCounts;
  /** CPU milliseconds per accepted alert in each process while the storm ran (not while it settled). */
  cpu_ms_per_alert: CpuSeconds;
  /** The same from the first alert sent until the system settled. */
  cpu_ms_per_alert_settled: CpuSeconds;
  ack_quantiles_ms: number[];
  /** Per key, from its first alert's acknowledgement to its incident's first page (the baseline: its first action). */
  ack_to_page_ms: Summary;
  urgent?: UrgentProbes;
}

/** A round's figures, and the raw samples the run's totals are summarised from. */
interface Played {
  round: StormRound;
  ackToPage: number[];
  urgentIdle: Probed[];
  urgentStorm: Probed[];
}

export interface StormResult {
  alerts: number;
  keys: number;
  concurrency: number;
  repetitions: number;
  order: StormOrder;
  firebreak: { accepted_per_s: number; status_2xx: number; status_503: number; other: number; ack_ms: Summary };
  baseline: { accepted_per_s: number; status_2xx: number; failed: number; ack_ms: Summary };
  ratio_throughput: number;
  target: { ratio_throughput: number };
  met: { ratio_throughput: boolean };
  /** Across Firebreak's rounds: keys sent, incidents found, and the accounting of every acknowledged alert. */
  incidents: number;
  incident_keys: number;
  lost: number;
  duplicated: number;
  baseline_lost: number;
  baseline_duplicated: number;
  /**
   * Alerts recorded per second from the first sent to the last recorded, per system, and
   * their ratio: what the storm costs once every alert is on its incident.
   */
  end_to_end: { firebreak_per_s: number; baseline_per_s: number; ratio: number; target_ratio: number; met: boolean };
  /**
   * Over every key of every round: from the key's first acknowledgement to its incident's
   * first page (the baseline: to its first action). Target: Firebreak's p99 ≤ 5 s.
   */
  ack_to_first_page: { firebreak: Summary; baseline: Summary; target_p99_ms: number; met: boolean };
  /**
   * SEV1 alerts amid the SEV4 storm against the same alone: Firebreak's task priority and
   * delivery lane for SEV0–SEV1; the baseline has neither. Target: Firebreak's storm p50 ≤ 2×
   * its idle p50.
   */
  urgent: { firebreak: UrgentProbes; baseline: UrgentProbes; ratio_p50: number; target_ratio: number; met: boolean };
  /** Firebreak's `queued` answers, the alert queues they were written to, and queues that had to recover their alerts themselves. */
  queued: number;
  alert_queues: number;
  alert_queues_recovered: number;
  /** Means over each system's rounds: where the CPU went (while accepting, and until settled), and what Temporal did, per alert. */
  cpu_ms_per_alert: { firebreak: CpuSeconds; baseline: CpuSeconds };
  cpu_ms_per_alert_settled: { firebreak: CpuSeconds; baseline: CpuSeconds };
  history_per_alert: { firebreak: HistoryCounts; baseline: HistoryCounts };
  rounds: StormRound[];
}

export interface HistoryCounts {
  workflows: number;
  alerts: number;
  updates: number;
  workflow_tasks: number;
  search_attribute_upserts: number;
  events: number;
}

/** Counts, over the histories of the first 100 workflows, what Temporal did per alert they hold. */
async function historyPerAlert(system: System, workflowIds: string[], alertsOf: (index: number) => number): Promise<HistoryCounts> {
  const sample = workflowIds.slice(0, 100);
  const totals = { workflows: 0, alerts: 0, updates: 0, workflow_tasks: 0, search_attribute_upserts: 0, events: 0 };
  await pool(sample.length, 8, async (index) => {
    const history = await system.client.workflow.getHandle(sample[index]).fetchHistory();
    const events = history.events ?? [];
    totals.workflows += 1;
    totals.alerts += alertsOf(index);
    totals.events += events.length;
    for (const event of events) {
      if (event.workflowExecutionUpdateAcceptedEventAttributes) totals.updates += 1;
      if (event.workflowTaskCompletedEventAttributes) totals.workflow_tasks += 1;
      if (event.upsertWorkflowSearchAttributesEventAttributes) totals.search_attribute_upserts += 1;
    }
  });
  const per = (value: number) => round(value / Math.max(1, totals.alerts), 3);
  return {
    workflows: totals.workflows,
    alerts: totals.alerts,
    updates: per(totals.updates),
    workflow_tasks: per(totals.workflow_tasks),
    search_attribute_upserts: per(totals.search_attribute_upserts),
    events: per(totals.events),
  };
}

function sequence(options: StormOptions, repetition: number): number[] {
  const perKey = Math.ceil(options.alerts / options.keys);
  const keys: number[] = [];
  for (let key = 0; key < options.keys; key++) for (let n = 0; n < perKey; n++) keys.push(key);
  keys.length = options.alerts;
  return options.order === 'shuffled' ? shuffle(keys, seededRandom(0x5eed + repetition)) : keys;
}

/**
 * Drives the storm: `send` answers true when acknowledged, false when refused, and throws
 * when unanswered. `midway` starts once half the storm has been sent, and the storm's
 * figures wait for it.
 */
async function drive(
  system: System,
  order: number[],
  concurrency: number,
  send: (key: number, index: number) => Promise<'accepted' | '503' | 'other'>,
  midway: () => Promise<void> = async () => undefined,
) {
  const tally: Tally = { sent: 0, accepted: 0, status_503: 0, other: 0 };
  const acked = new Map<number, number>();
  /** When each key's first alert was acknowledged. */
  const firstAck = new Map<number, number>();
  let halfway: Promise<void> | undefined;
  const failed = new Map<number, number>();
  const latencies: number[] = [];
  const cpuBefore = system.cpuSeconds();
  const start = now();
  let end = start;
  await pool(order.length, concurrency, async (index) => {
    const key = order[index];
    const sent = now();
    tally.sent += 1;
    if (!halfway && tally.sent >= order.length / 2) halfway = midway();
    let outcome: 'accepted' | '503' | 'other';
    try {
      outcome = await send(key, index);
    } catch {
      outcome = 'other';
    }
    const answered = now();
    latencies.push(answered - sent);
    end = Math.max(end, answered);
    if (outcome === 'accepted') {
      tally.accepted += 1;
      acked.set(key, (acked.get(key) ?? 0) + 1);
      if (!firstAck.has(key)) firstAck.set(key, answered);
    } else {
      if (outcome === '503') tally.status_503 += 1;
      else tally.other += 1;
      failed.set(key, (failed.get(key) ?? 0) + 1);
    }
  });
  const cpu = cpuMsPer(cpuBefore, system.cpuSeconds(), tally.accepted);
  await halfway;
  return { tally, acked, failed, firstAck, latencies, seconds: (end - start) / 1000, ended: end, cpu, cpuBefore };
}

/** Each acknowledged key's time from its first acknowledgement to its first page, given when each paged. */
async function ackToPage(firstAck: Map<number, number>, pagedAt: (key: number) => Promise<number>): Promise<number[]> {
  return Promise.all([...firstAck].map(async ([key, at]) => (await pagedAt(key)) - at));
}

/** Sends `count` alerts one after another, each timed by `sendAndPage` to its acknowledgement and its first page. */
async function probe(count: number, sendAndPage: (index: number) => Promise<Probed>): Promise<Probed[]> {
  const samples: Probed[] = [];
  for (let index = 0; index < count; index++) samples.push(await sendAndPage(index));
  return samples;
}

function urgentFigures(idle: Probed[], storm: Probed[]): UrgentProbes {
  return {
    idle_ms: summarize(idle.map((sample) => sample.page)),
    storm_ms: summarize(storm.map((sample) => sample.page)),
    idle_ack_ms: summarize(idle.map((sample) => sample.ack)),
    storm_ack_ms: summarize(storm.map((sample) => sample.ack)),
  };
}

/** Compares what each key's workflow holds with what was acknowledged. */
function account(keys: number, acked: Map<number, number>, failed: Map<number, number>, recordedOf: (key: number) => number) {
  let recorded = 0;
  let lost = 0;
  let duplicated = 0;
  let unacknowledged = 0;
  for (let key = 0; key < keys; key++) {
    const count = recordedOf(key);
    const ack = acked.get(key) ?? 0;
    const fail = failed.get(key) ?? 0;
    recorded += count;
    if (count < ack) lost += ack - count;
    const extra = Math.max(0, count - ack);
    unacknowledged += Math.min(extra, fail);
    duplicated += Math.max(0, extra - fail);
  }
  return { recorded, lost, duplicated, recorded_unacknowledged: unacknowledged };
}

type Driven = Awaited<ReturnType<typeof drive>>;

/**
 * What every round reports, Firebreak's and the baseline's alike: the storm as driven, the
 * accounting against `counts` (what each key's workflow holds), settling, CPU and history.
 */
function roundFigures(
  options: StormOptions,
  driven: Driven,
  settled: { counts: Map<number, number>; incidents: number; settleSeconds: number; cpuAtSettle: CpuSeconds; history: HistoryCounts; ackToPage: number[] },
) {
  const { counts, incidents, settleSeconds, cpuAtSettle, history, ackToPage } = settled;
  return {
    ...driven.tally,
    seconds: round(driven.seconds, 3),
    accepted_per_s: round(driven.tally.accepted / driven.seconds, 1),
    ack_ms: summarize(driven.latencies),
    keys: options.keys,
    incidents,
    ...account(options.keys, driven.acked, driven.failed, (key) => counts.get(key) ?? 0),
    settle_seconds: round(settleSeconds, 2),
    end_to_end_per_s: round(driven.tally.accepted / (driven.seconds + settleSeconds), 1),
    history_per_alert: history,
    cpu_ms_per_alert: driven.cpu,
    cpu_ms_per_alert_settled: cpuMsPer(driven.cpuBefore, cpuAtSettle, driven.tally.accepted),
    ack_quantiles_ms: quantiles(driven.latencies),
    ack_to_page_ms: summarize(ackToPage),
  };
}

async function firebreakRound(system: System, options: StormOptions, repetition: number, run: string): Promise<Played> {
  const service = `bench-storm-${run}-${repetition}`;
  const keyName = (key: number) => `storm-${run}-${repetition}-${key}`;
  const order = sequence(options, repetition);
  // SEV1 alerts, each a new key on the storm's route, timed to their incident's first page.
  const urgentIds: string[] = [];
  const urgent = (phase: string) => async (index: number) => {
    const key = `urgent-${run}-${repetition}-${phase}-${index}`;
    const start = now();
    const answer = await system.http.post<AlertAnswer>('/v1/alerts', firingAlert(key, `Urgent alert ${index}`, `${service}-urgent`, 'SEV1'));
    const ack = now() - start;
    if (answer.status !== 202) throw new Error(`an urgent alert was answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    urgentIds.push(benchIncidentId(key));
    return { ack, page: (await system.marks.wait(`page:${benchIncidentId(key)}`, 120_000)) - start };
  };
  const urgentIdle = await probe(options.urgentProbes, urgent('idle'));
  let urgentStorm: Probed[] = [];
  const roundStart = new Date();
  let queued = 0;
  const driven = await drive(
    system,
    order,
    options.concurrency,
    async (key, index) => {
      const answer = await system.http.post<AlertAnswer>('/v1/alerts', firingAlert(keyName(key), `Storm alert ${index}`, service, 'SEV4'));
      if (answer.status >= 200 && answer.status < 300) {
        if (answer.body.status === 'queued') queued += 1;
        else if (answer.body.incidentId !== benchIncidentId(keyName(key))) throw new Error(`unexpected answer ${JSON.stringify(answer.body)}`);
        return 'accepted';
      }
      return answer.status === 503 ? '503' : 'other';
    },
    async () => {
      urgentStorm = await probe(options.urgentProbes, urgent('storm'));
    },
  );

  // Settled: every key's incident has opened and paged its first level, and holds every
  // alert acknowledged for it (a queued alert may still be on its way).
  // From the storm's last answer (the urgent alerts may still have been on their way then).
  const settleStart = driven.ended;
  const ids = Array.from({ length: options.keys }, (_, key) => benchIncidentId(keyName(key)));
  // Bounded, generously: on a busy machine the last incidents page minutes after the storm, and that is the figure.
  const pagedAfterAck = await ackToPage(driven.firstAck, (key) => system.marks.wait(`page:${ids[key]}`, PAGE_BOUND_MS));
  const counts = new Map<number, number>();
  let pending = ids.map((_, key) => key);
  for (const until = now() + 300_000; pending.length > 0 && now() < until; ) {
    const reading = pending;
    pending = [];
    await pool(reading.length, 16, async (index) => {
      const key = reading[index];
      const answer = await readSettled(() => system.http.get<IncidentSnapshot>(`/v1/incidents/${ids[key]}`));
      if (answer.status === 404) return;
      if (answer.status !== 200) throw new Error(`GET /v1/incidents/${ids[key]} answered ${answer.status}`);
      counts.set(key, answer.body.alertCount);
      if (answer.body.alertCount < (driven.acked.get(key) ?? 0)) pending.push(key);
    });
    if (pending.length > 0) await new Promise((done) => setTimeout(done, 200));
  }
  const settleSeconds = (now() - settleStart) / 1000;
  const cpuAtSettle = system.cpuSeconds();
  const incidents = counts.size;
  const figures = roundFigures(options, driven, {
    counts,
    incidents,
    settleSeconds,
    cpuAtSettle,
    history: await historyPerAlert(system, ids, (key) => counts.get(key) ?? 0),
    ackToPage: pagedAfterAck,
  });
  const visible = await visibleIncidents(system, service, incidents);
  const queues = await alertQueues(system, roundStart);
  await system.terminate([...ids, ...urgentIds]);
  const round: StormRound = {
    system: 'firebreak',
    repetition,
    ...figures,
    visible_incidents: visible,
    queued,
    alert_queues: queues.total,
    alert_queues_recovered: queues.recovered,
    urgent: urgentFigures(urgentIdle, urgentStorm),
  };
  return { round, ackToPage: pagedAfterAck, urgentIdle, urgentStorm };
}

/**
 * The round's alert queues, once each has ended (the API tells a queue when its alerts are
 * delivered): how many, and how many delivered their alerts themselves (none should).
 */
async function alertQueues(system: System, since: Date): Promise<{ total: number; recovered: number }> {
  const ids: string[] = [];
  const query = `WorkflowType = 'alertQueueWorkflow' AND StartTime >= '${since.toISOString()}'`;
  for await (const execution of system.client.workflow.list({ query })) ids.push(execution.workflowId);
  let recovered = 0;
  await pool(ids.length, 16, async (index) => {
    const result = (await system.client.workflow.getHandle(ids[index]).result()) as { outcome: string };
    if (result.outcome === 'recovered') recovered += 1;
  });
  return { total: ids.length, recovered };
}

/**
 * Reads back a settled incident: a 503 (the API's "Temporal did not answer in time", e.g. a
 * worker still draining the storm's backlog) is retried, a bounded number of times.
 */
async function readSettled<T>(read: () => Promise<Answer<T>>): Promise<Answer<T>> {
  for (let attempt = 1; ; attempt++) {
    const answer = await read();
    if (answer.status !== 503 || attempt === 10) return answer;
    await new Promise((done) => setTimeout(done, 1000));
  }
}

/** Incidents with the round's service in visibility, once it has caught up (bounded wait). */
async function visibleIncidents(system: System, service: string, expected: number): Promise<number> {
  const query = `WorkflowType = 'incidentWorkflow' AND FirebreakService = '${service}'`;
  let count = 0;
  for (let attempt = 0; attempt < 50; attempt++) {
    count = (await system.client.workflow.count(query)).count;
    if (count >= expected) break;
    await new Promise((done) => setTimeout(done, 200));
  }
  return count;
}

async function baselineRound(system: System, options: StormOptions, repetition: number, run: string): Promise<Played> {
  const keyName = (key: number) => `storm-${run}-${repetition}-${key}`;
  const workflowId = (key: number) => `baseline-${keyName(key)}`;
  const order = sequence(options, repetition);
  // The same urgent alerts, on a workflow that knows no priority.
  const urgentIds: string[] = [];
  const urgent = (phase: string) => async (index: number) => {
    const key = `urgent-${run}-${repetition}-${phase}-${index}`;
    const start = now();
    await system.baselineUpdateWithStart(`baseline-${key}`, { key, stayOpen: true }, firingAlert(key, `Urgent alert ${index}`, undefined, 'SEV1'));
    const ack = now() - start;
    urgentIds.push(`baseline-${key}`);
    return { ack, page: (await system.marks.wait(`baseline:${key}`, 120_000)) - start };
  };
  const urgentIdle = await probe(options.urgentProbes, urgent('idle'));
  let urgentStorm: Probed[] = [];
  const driven = await drive(
    system,
    order,
    options.concurrency,
    async (key, index) => {
      const body = firingAlert(keyName(key), `Storm alert ${index}`, undefined, 'SEV4');
      await system.baselineUpdateWithStart(workflowId(key), { key: keyName(key), stayOpen: true }, body);
      return 'accepted';
    },
    async () => {
      urgentStorm = await probe(options.urgentProbes, urgent('storm'));
    },
  );
  const settleStart = driven.ended;
  const firstActionAfterAck = await ackToPage(driven.firstAck, (key) => system.marks.wait(`baseline:${keyName(key)}`, PAGE_BOUND_MS));
  const counts = new Map<number, number>();
  let workflows = 0;
  await pool(options.keys, 16, async (key) => {
    for (let attempt = 1; ; attempt++) {
      try {
        counts.set(key, await system.client.workflow.getHandle(workflowId(key)).query(baselineCountQuery));
        workflows += 1;
        return;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return; // never started: nothing recorded
        if (attempt === 10) throw error;
        await new Promise((done) => setTimeout(done, 1000));
      }
    }
  });
  const settleSeconds = (now() - settleStart) / 1000;
  const cpuAtSettle = system.cpuSeconds();
  const workflowIds = Array.from({ length: options.keys }, (_, key) => workflowId(key));
  const figures = roundFigures(options, driven, {
    counts,
    incidents: workflows,
    settleSeconds,
    cpuAtSettle,
    history: await historyPerAlert(system, workflowIds, (key) => counts.get(key) ?? 0),
    ackToPage: firstActionAfterAck,
  });
  await system.terminate([...workflowIds, ...urgentIds]);
  const round: StormRound = { system: 'baseline', repetition, ...figures, urgent: urgentFigures(urgentIdle, urgentStorm) };
  return { round, ackToPage: firstActionAfterAck, urgentIdle, urgentStorm };
}

export async function stormScenario(system: System, options: StormOptions, log: (line: string) => void): Promise<StormResult> {
  const run = Date.now().toString(36);
  const rounds: StormRound[] = [];
  const played: Played[] = [];
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    for (const which of ['firebreak', 'baseline'] as const) {
      const playedRound =
        which === 'firebreak'
          ? await firebreakRound(system, options, repetition, run)
          : await baselineRound(system, options, repetition, run);
      played.push(playedRound);
      const result = playedRound.round;
      log(
        `  storm ${which} #${repetition + 1}: ${result.accepted}/${result.sent} accepted in ${result.seconds}s ` +
          `(${result.accepted_per_s}/s), 503 ${result.status_503}, other ${result.other}, ` +
          `incidents ${result.incidents}/${result.keys}, lost ${result.lost}, duplicated ${result.duplicated}; ` +
          (result.system === 'firebreak' ? `queued ${result.queued} in ${result.alert_queues} queues (${result.alert_queues_recovered} recovered); ` : '') +
          `settled after ${result.settle_seconds}s (${result.end_to_end_per_s}/s end to end); ` +
          `CPU ms/alert: server ${result.cpu_ms_per_alert.temporal}, worker ${result.cpu_ms_per_alert.worker}, ` +
          `API ${result.cpu_ms_per_alert.api}, driver ${result.cpu_ms_per_alert.driver}; per alert: ` +
          `${result.history_per_alert.updates} updates, ${result.history_per_alert.workflow_tasks} workflow tasks, ` +
          `${result.history_per_alert.search_attribute_upserts} upserts, ${result.history_per_alert.events} events; ` +
          `ack → first page p50 ${result.ack_to_page_ms.p50} ms, p99 ${result.ack_to_page_ms.p99} ms` +
          (result.urgent && options.urgentProbes > 0 ? `; SEV1 alert → first page idle p50 ${result.urgent.idle_ms.p50} ms, amid the storm p50 ${result.urgent.storm_ms.p50} ms (max ${result.urgent.storm_ms.max})` : ''),
      );
      rounds.push(result);
    }
  }
  const of = (system: 'firebreak' | 'baseline') => rounds.filter((round) => round.system === system);
  const total = (list: StormRound[], field: 'accepted' | 'status_503' | 'other' | 'lost' | 'duplicated' | 'incidents' | 'keys') =>
    list.reduce((sum, round) => sum + round[field], 0);
  const throughput = (list: StormRound[]) => total(list, 'accepted') / list.reduce((sum, round) => sum + round.seconds, 0);
  const endToEnd = (list: StormRound[]) =>
    total(list, 'accepted') / list.reduce((sum, round) => sum + round.seconds + round.settle_seconds, 0);
  const sum = (list: StormRound[], pick: (round: StormRound) => number | undefined) => list.reduce((acc, round) => acc + (pick(round) ?? 0), 0);
  const mergedAck = (list: StormRound[]) => {
    // Summaries of the rounds' p50/p99 are not mergeable; keep the worst round's figures.
    return list.reduce((worst, round) => (round.ack_ms.p99 > worst.p99 ? round.ack_ms : worst), list[0].ack_ms);
  };
  const firebreak = of('firebreak');
  const baseline = of('baseline');
  const mean = <T extends object>(list: StormRound[], pick: (round: StormRound) => T): T => {
    const first = pick(list[0]);
    return Object.fromEntries(
      Object.keys(first).map((key) => [key, round(list.reduce((sum, entry) => sum + (pick(entry) as Record<string, number>)[key], 0) / list.length, 3)]),
    ) as T;
  };
  const ratioThroughput = ratio(throughput(firebreak), throughput(baseline));
  const endToEndRatio = ratio(endToEnd(firebreak), endToEnd(baseline));
  const playedBy = (system: 'firebreak' | 'baseline') => played.filter((entry) => entry.round.system === system);
  const toPage = {
    firebreak: summarize(playedBy('firebreak').flatMap((entry) => entry.ackToPage)),
    baseline: summarize(playedBy('baseline').flatMap((entry) => entry.ackToPage)),
  };
  const urgentOf = (system: 'firebreak' | 'baseline') =>
    urgentFigures(playedBy(system).flatMap((entry) => entry.urgentIdle), playedBy(system).flatMap((entry) => entry.urgentStorm));
  const urgent = { firebreak: urgentOf('firebreak'), baseline: urgentOf('baseline') };
  const urgentRatio = ratio(urgent.firebreak.storm_ms.p50, urgent.firebreak.idle_ms.p50);
  return {
    alerts: options.alerts,
    keys: options.keys,
    concurrency: options.concurrency,
    repetitions: options.repetitions,
    order: options.order,
    firebreak: {
      accepted_per_s: round(throughput(firebreak), 1),
      status_2xx: total(firebreak, 'accepted'),
      status_503: total(firebreak, 'status_503'),
      other: total(firebreak, 'other'),
      ack_ms: mergedAck(firebreak),
    },
    baseline: {
      accepted_per_s: round(throughput(baseline), 1),
      status_2xx: total(baseline, 'accepted'),
      failed: total(baseline, 'status_503') + total(baseline, 'other'),
      ack_ms: mergedAck(baseline),
    },
    ratio_throughput: ratioThroughput,
    target: { ratio_throughput: 5 },
    met: { ratio_throughput: ratioThroughput >= 5 },
    incidents: total(firebreak, 'incidents'),
    incident_keys: total(firebreak, 'keys'),
    lost: total(firebreak, 'lost'),
    duplicated: total(firebreak, 'duplicated'),
    baseline_lost: total(baseline, 'lost'),
    baseline_duplicated: total(baseline, 'duplicated'),
    end_to_end: {
      firebreak_per_s: round(endToEnd(firebreak), 1),
      baseline_per_s: round(endToEnd(baseline), 1),
      ratio: endToEndRatio,
      target_ratio: 2,
      met: endToEndRatio >= 2,
    },
    ack_to_first_page: { ...toPage, target_p99_ms: 5000, met: toPage.firebreak.p99 <= 5000 },
    urgent: { ...urgent, ratio_p50: urgentRatio, target_ratio: 2, met: urgentRatio <= 2 },
    queued: sum(firebreak, (r) => r.queued),
    alert_queues: sum(firebreak, (r) => r.alert_queues),
    alert_queues_recovered: sum(firebreak, (r) => r.alert_queues_recovered),
    cpu_ms_per_alert: { firebreak: mean(firebreak, (r) => r.cpu_ms_per_alert), baseline: mean(baseline, (r) => r.cpu_ms_per_alert) },
    cpu_ms_per_alert_settled: {
      firebreak: mean(firebreak, (r) => r.cpu_ms_per_alert_settled),
      baseline: mean(baseline, (r) => r.cpu_ms_per_alert_settled),
    },
    history_per_alert: { firebreak: mean(firebreak, (r) => r.history_per_alert), baseline: mean(baseline, (r) => r.history_per_alert) },
    rounds,
  };
}

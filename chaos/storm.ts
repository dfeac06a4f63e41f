/**
 * An alert storm: `alerts` generic alerts over `keys` dedup keys, sent `concurrency` at a
 * time round-robin over the API replicas (retried as Alertmanager retries), then the check
 * that every alert answered `202` is on its key's one incident.
 */
import { incidentIdFor } from '../temporal-client/incident-ids';
import { type FirebreakApi, GaveUp } from './api';
import { boundedWait, forEachAtOnce, type Invariant } from './invariants';

/** Incidents read at once by the check. */
const READERS = 8;

export interface StormSize {
  alerts: number;
  keys: number;
  concurrency: number;
}

export interface Storm {
  source: string;
  /** Alerts whose sending is over (answered or given up). */
  sent: number;
  /** Answered `202`, per dedup key (the key the alerts carried). */
  answered: Map<string, number>;
  /** Never answered `202` within the sender's bound (with the last error), per dedup key. */
  unanswered: Map<string, number>;
  /** Answers other than 202 and 503-like ones: the API refused the alert. */
  refused: number;
  lastProblem?: string;
  done: Promise<void>;
  wallMs?: number;
}

/** The dedup key Firebreak gives a generic alert of `source` with `dedupKey` (docs/alert-delivery.md). */
export const genericDedupKey = (source: string, dedupKey: string) => `generic:${encodeURIComponent(source)}:${dedupKey}`;

/** The first incident of each of the storm's dedup keys, `keys` of them: the incidents it opens. */
export const stormIncidentIds = (storm: Storm, keys: number) => Array.from({ length: keys }, (_, i) => incidentIdFor(genericDedupKey(storm.source, `k${i}`), 1));

/** Starts the storm; `done` settles when every alert is answered or given up. */
export function startStorm(api: FirebreakApi, source: string, size: StormSize): Storm {
  const storm: Storm = { source, sent: 0, answered: new Map(), unanswered: new Map(), refused: 0, done: Promise.resolve() };
  const started = Date.now();
  let next = 0;
  const sendOne = async (n: number) => {
    const key = `k${n % size.keys}`;
    try {
      const answer = await api.post(
        '/v1/alerts',
        {
          source,
          summary: `Chaos storm alert ${n} on ${key}`,
          status: 'firing',
          // Warnings: their route pages nobody, so a storm's incidents cost no escalation.
          severity: 'warning',
          dedupKey: key,
          labels: { alertname: 'ChaosStorm', instance: `i-${n}` },
        },
        `${source}-a${n}`,
      );
      if (answer.status === 202) storm.answered.set(key, (storm.answered.get(key) ?? 0) + 1);
      else {
        storm.refused++;
        storm.lastProblem = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
      }
    } catch (error) {
      storm.unanswered.set(key, (storm.unanswered.get(key) ?? 0) + 1);
      storm.lastProblem = error instanceof GaveUp ? error.message : String(error);
    } finally {
      storm.sent++;
    }
  };
  const lane = async () => {
    while (next < size.alerts) await sendOne(next++);
  };
  storm.done = Promise.all(Array.from({ length: size.concurrency }, lane)).then(() => {
    storm.wallMs = Date.now() - started;
  });
  return storm;
}

interface IncidentView {
  id: string;
  dedupKey?: string;
  alertCount: number;
}

/**
 * Every alert answered 202 is on its incident, and each dedup key has exactly one incident:
 * its first generation exists with the key and holds every alert answered for it (no more:
 * a retried alert is recorded once), and no second generation was opened.
 */
export async function checkStorm(api: FirebreakApi, storm: Storm, keys: number, timeoutMs: number): Promise<Invariant> {
  const counts = { keys, alertsAnswered: 0, alertsUnanswered: 0, alertsRefused: storm.refused, incidents: 0, alertsOnIncidents: 0, keysShort: 0, keysOver: 0, wrongKey: 0, extraIncidents: 0, unreadable: 0 };
  for (const n of storm.answered.values()) counts.alertsAnswered += n;
  for (const n of storm.unanswered.values()) counts.alertsUnanswered += n;
  const seen = new Map<string, IncidentView>();
  const keyNames = Array.from({ length: keys }, (_, i) => `k${i}`);
  const settled = (key: string) => {
    const incident = seen.get(key);
    const answered = storm.answered.get(key) ?? 0;
    const upTo = answered + (storm.unanswered.get(key) ?? 0);
    return incident !== undefined && incident.alertCount >= answered && incident.alertCount <= upTo;
  };
  const ok = await boundedWait(timeoutMs, async () => {
    await forEachAtOnce(keyNames.filter((k) => !settled(k)), READERS, async (key) => {
      const answer = await api.get<IncidentView>(`/v1/incidents/${incidentIdFor(genericDedupKey(storm.source, key), 1)}`);
      if (answer.status === 200) seen.set(key, answer.body);
    });
    return keyNames.every(settled);
  });
  await forEachAtOnce(keyNames, READERS, async (key) => {
    const second = await api.get(`/v1/incidents/${incidentIdFor(genericDedupKey(storm.source, key), 2)}`).catch(() => undefined);
    if (second === undefined) counts.unreadable++;
    else if (second.status === 200) counts.extraIncidents++;
  });
  for (const key of keyNames) {
    const incident = seen.get(key);
    const answered = storm.answered.get(key) ?? 0;
    if (!incident) {
      if (answered > 0) counts.keysShort++;
      continue;
    }
    if (incident.dedupKey !== genericDedupKey(storm.source, key)) counts.wrongKey++;
    counts.incidents++;
    counts.alertsOnIncidents += incident.alertCount;
    if (incident.alertCount < answered) counts.keysShort++;
    if (incident.alertCount > answered + (storm.unanswered.get(key) ?? 0)) counts.keysOver++;
  }
  const passed = ok && counts.keysShort === 0 && counts.keysOver === 0 && counts.wrongKey === 0 && counts.extraIncidents === 0 && counts.unreadable === 0 && counts.incidents === keys && counts.alertsUnanswered === 0 && counts.alertsRefused === 0;
  return { name: 'alerts on their incidents; incidents = dedup keys', ok: passed, counts, ...(storm.lastProblem && !passed ? { note: storm.lastProblem } : {}) };
}

/**
 * Escalation under fire: critical alerts open incidents on the shipped `primary-on-call`
 * policy (level 1 paged at once), each is escalated by hand to levels 2 and 3 (the levels'
 * own timeouts are minutes), then the check that each level was paged, each notification
 * once, and each Slack direct message of them sent exactly once at the vendor.
 */
import type { IncidentSnapshot } from '../core/model/incident';
import { incidentIdFor } from '../temporal-client/incident-ids';
import type { FirebreakApi } from './api';
import { boundedWait, type Invariant } from './invariants';
import { genericDedupKey } from './storm';
import type { Vendors } from './vendors';

/** The levels of runbooks/escalation-policies.ts's `primary-on-call`. */
const LEVELS = 3;

export interface Escalation {
  incidentIds: string[];
  /** Settles when every incident was escalated through its levels (or the bound passed). */
  done: Promise<void>;
  problems: string[];
}

const readIncident = async (api: FirebreakApi, id: string) => {
  const { status, body } = await api.get<IncidentSnapshot>(`/v1/incidents/${id}`);
  return status === 200 ? body : undefined;
};

/** Raises `count` critical incidents and escalates each to its last level. */
export function startEscalation(api: FirebreakApi, source: string, count: number, timeoutMs: number): Escalation {
  const keys = Array.from({ length: count }, (_, i) => `esc${i}`);
  const escalation: Escalation = { incidentIds: keys.map((key) => incidentIdFor(genericDedupKey(source, key), 1)), done: Promise.resolve(), problems: [] };
  const one = async (key: string, id: string) => {
    const alert = { source, summary: `Chaos escalation ${key}`, status: 'firing', severity: 'critical', dedupKey: key, labels: { alertname: 'ChaosEscalation' } };
    const sent = await api.post('/v1/alerts', alert, `${source}-${key}`);
    if (sent.status !== 202) throw new Error(`alert ${key} answered ${sent.status}`);
    for (let level = 1; level < LEVELS; level++) {
      // Escalate only once the level before is paged: a second request meanwhile would merge with the first.
      const paged = await boundedWait(timeoutMs, async () => ((await readIncident(api, id))?.notifications ?? []).some((n) => n.round === 1 && n.level === level));
      if (!paged) throw new Error(`${id}: level ${level} was not paged in time`);
      const answer = await api.post(`/v1/incidents/${id}/actions`, { action: 'escalate', reason: `chaos: to level ${level + 1}` }, `${id}-escalate-${level}`);
      if (answer.status >= 300) throw new Error(`${id}: escalate answered ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  };
  escalation.done = Promise.all(
    keys.map((key, i) => one(key, escalation.incidentIds[i]).catch((error: unknown) => void escalation.problems.push(String(error)))),
  ).then(() => undefined);
  return escalation;
}

/** Slack direct messages carrying `key` (the notification step's idempotency key). */
const directMessagesWith = (vendors: Vendors, key: string) =>
  [...vendors.slack.directMessages.values()]
    .flatMap((conversation) => conversation.messages)
    .filter((message) => (message.metadata as { event_payload?: { idempotency_key?: string } } | undefined)?.event_payload?.idempotency_key === key).length;

/**
 * Each incident paged every level (a notification of someone at each), each notification
 * once, and each one sent by Slack is one direct message at the vendor; then the incidents
 * are acknowledged, which stops the notifications still due.
 */
export async function checkEscalation(api: FirebreakApi, vendors: Vendors, escalation: Escalation, timeoutMs: number): Promise<Invariant> {
  const counts: Record<string, number> = { incidents: escalation.incidentIds.length, duplicateNotifications: 0, slackSent: 0, slackAtVendor: 0, slackViolations: 0 };
  for (let level = 1; level <= LEVELS; level++) counts[`level ${level} paged`] = 0;
  const problems = [...escalation.problems];
  const latest = new Map<string, IncidentSnapshot>();
  const allLevels = (incident?: IncidentSnapshot) => new Set((incident?.notifications ?? []).filter((n) => n.round === 1).map((n) => n.level)).size >= LEVELS;
  await boundedWait(timeoutMs, async () => {
    for (const id of escalation.incidentIds) {
      const incident = await readIncident(api, id);
      if (incident) latest.set(id, incident);
    }
    return escalation.incidentIds.every((id) => allLevels(latest.get(id)));
  });
  for (const id of escalation.incidentIds) {
    const notifications = latest.get(id)?.notifications ?? [];
    const ids = notifications.map((n) => n.id);
    counts.duplicateNotifications += ids.length - new Set(ids).size;
    for (let level = 1; level <= LEVELS; level++) if (notifications.some((n) => n.round === 1 && n.level === level)) counts[`level ${level} paged`]++;
    for (const notification of notifications.filter((n) => n.provider === 'slack' && n.outcome === 'sent')) {
      const found = directMessagesWith(vendors, `${id}/notify-${notification.id}`);
      counts.slackSent++;
      counts.slackAtVendor += found;
      if (found !== 1) {
        counts.slackViolations++;
        problems.push(`${id} ${notification.id}: ${found} direct messages`);
      }
    }
    await api.post(`/v1/incidents/${id}/actions`, { action: 'acknowledge', note: 'chaos round over' }, `${id}-ack`).catch(() => undefined);
  }
  const levelsOk = Array.from({ length: LEVELS }, (_, i) => counts[`level ${i + 1} paged`]).every((n) => n === counts.incidents);
  const ok = levelsOk && counts.duplicateNotifications === 0 && counts.slackViolations === 0 && escalation.problems.length === 0;
  return { name: 'escalation paged each level once', ok, counts, ...(problems.length ? { note: problems.slice(0, 5).join(' | ') } : {}) };
}

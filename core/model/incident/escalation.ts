/**
 * The escalation ladder's decisions: which level is paged next, in which round, and when
 * the ladder is exhausted or stops. Pure over the snapshot's `escalation` progress.
 */
import type { IncidentSnapshot } from '../incident';
import type { Severity } from '../incident-model';
import type { EscalationPolicy } from '../../schemas/operator-config';
import { type Effect, recordBy } from './effects';
import { cancelPending } from '../oncall/notify-plan';

/** The pager severity each incident severity pages with. */
export const PAGE_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  SEV0: 'critical',
  SEV1: 'critical',
  SEV2: 'error',
  SEV3: 'warning',
  SEV4: 'info',
};

/** The pager hears of acknowledgement and resolution only if it was paged. */
export function notifyPager(incident: IncidentSnapshot, action: 'acknowledge' | 'resolve'): Effect[] {
  return incident.escalation.pages === 0 ? [] : [{ kind: 'notify-pager', action }];
}

/**
 * Acknowledgement stops a ladder that is paging, and the pager is told; every notification
 * still waiting for its time is dropped, whether the ladder was paging or exhausted.
 */
export function stopEscalation(incident: IncidentSnapshot, actor: string): Effect[] {
  const progress = incident.escalation;
  const dropped = cancelPending(progress);
  const cancelled: Effect[] = dropped > 0 ? [recordBy('notification', `${dropped} pending notification${dropped === 1 ? '' : 's'} cancelled: acknowledged`)] : [];
  if (progress.state !== 'paging') return cancelled;
  progress.state = 'stopped';
  progress.pagePending = false;
  progress.nextAt = undefined;
  return [{ kind: 'record', entry: { kind: 'notification', actor, summary: 'Escalation stopped: acknowledged' } }, ...cancelled, ...notifyPager(incident, 'acknowledge')];
}

/** Moves to the next level, or the first level of the next round; false when none is left. */
export function advanceLevel(incident: IncidentSnapshot): boolean {
  const policy = incident.policy?.escalation;
  const progress = incident.escalation;
  if (!policy) return false;
  if (progress.level + 1 < policy.levels.length) {
    progress.level += 1;
    return true;
  }
  if (progress.round < policy.repeat) {
    progress.round += 1;
    progress.level = 0;
    return true;
  }
  return false;
}

/**
 * The `escalate` command: a paging ladder moves on at once; a stopped or exhausted one
 * starts again at its next level (or from the top when none is left); an idle one starts.
 */
export function escalateByHand(incident: IncidentSnapshot, actor: string, reason: string | undefined): Effect[] {
  const progress = incident.escalation;
  const effects: Effect[] = [{ kind: 'record', entry: { kind: 'notification', actor, summary: `Escalated by hand${reason ? `: ${reason}` : ''}` } }];
  if (progress.state === 'paging') return [...effects, { kind: 'escalate-now' }];
  if (progress.state !== 'idle' && !advanceLevel(incident)) {
    progress.level = 0;
    progress.round = 0;
  }
  progress.state = 'paging';
  progress.pagePending = true;
  return effects;
}

/** The current level timed out (or was escalated past): page the next one, or the ladder is exhausted. */
export function levelTimedOut(incident: IncidentSnapshot): Effect[] {
  const progress = incident.escalation;
  if (advanceLevel(incident)) {
    progress.pagePending = true;
    return [];
  }
  progress.state = 'exhausted';
  progress.nextAt = undefined;
  return [recordBy('notification', 'Escalation exhausted: every level was paged and nobody acknowledged')];
}

/** A page of the current level, as the ladder records it before sending it. */
export interface LevelPage {
  policy: EscalationPolicy;
  level: EscalationPolicy['levels'][number];
  /** Where on the ladder, for the timeline: `level 2, round 1`. */
  where: string;
}

/** Counts a page of the current level and sets when it times out. */
export function beginPage(incident: IncidentSnapshot, nowMs: number): LevelPage {
  const policy = incident.policy!.escalation!;
  const progress = incident.escalation;
  const level = policy.levels[progress.level];
  progress.pagePending = false;
  progress.pages += 1;
  progress.nextAt = new Date(nowMs + level.timeoutSeconds * 1000).toISOString();
  return { policy, level, where: `level ${progress.level + 1}${policy.repeat ? `, round ${progress.round + 1}` : ''}` };
}

/** Remembers that `level` (1-based) was paged through the pager, so acknowledge and resolve reach it. */
export function rememberPagedLevel(progress: IncidentSnapshot['escalation'], level: number, targets: string[]): void {
  const paged = (progress.paged ??= []);
  if (!paged.some((entry) => entry.level === level)) paged.push({ level, targets });
}

/** Where the fallback page goes: the policy's `fallback` targets, else the level's own. */
export const fallbackTargets = (page: LevelPage): string[] => page.policy.fallback ?? page.level.targets;

/**
 * Incidents for the record's tests: a snapshot with just what the projection reads, and a
 * timeline builder, so a spec states only what it is about.
 */
import type { IncidentSnapshot } from '../../core/model/incident';
import { testIncident } from '../../core/model/runbook-testing';
import type { TimelineEntry } from '../../core/model/incident-model';

export function snapshotOf(fields: Partial<IncidentSnapshot> & Pick<IncidentSnapshot, 'id'>): IncidentSnapshot {
  return testIncident({ title: `Incident ${fields.id}`, severity: 'SEV2', openedAt: '2026-01-05T10:00:00.000Z', openedBy: 'alertmanager', ...fields });
}

export const alertEntry = (at: string, summary: string, labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing'): TimelineEntry => ({
  at,
  kind: 'alert',
  actor: 'alertmanager',
  summary: `${status === 'firing' ? 'Alert firing' : 'Alert resolved'}: ${summary}`,
  details: { receiptId: `r-${at}-${summary}`, source: 'alertmanager', status, labels },
});

export const noteEntry = (at: string, text: string, actor = 'ops'): TimelineEntry => ({ at, kind: 'note', actor, summary: text });

export const statusEntry = (at: string, summary: string, actor = 'ops'): TimelineEntry => ({ at, kind: 'status', actor, summary });

/**
 * The incident's chat channel follows the incident: one header message with what a
 * responder needs at a glance (and Acknowledge / Resolve buttons while they apply), updated
 * in place; then each timeline entry that matters, posted once, in order. Pure: which
 * messages are due, and their text.
 */
import type { IncidentChat, IncidentSnapshot, RecordEventInput } from '../incident';
import { IncidentStatus, type TimelineEntry } from '../incident-model';
import { hasReached } from './state-machine';

/** Kinds of timeline entries the channel hears of (alerts and pages would drown it). */
const MIRRORED: ReadonlySet<TimelineEntry['kind']> = new Set(['status', 'role', 'severity', 'runbook', 'status-update', 'note']);

/** A button on a chat message; the interaction names `action` and carries `value`. */
export interface ChatButton {
  action: 'incident.acknowledge' | 'incident.resolve' | 'execution.approve' | 'execution.reject' | 'runbook.run';
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

/** A runbook opened the incident's channel: the first one opened is followed. */
export function followChat(incident: IncidentSnapshot, news: NonNullable<RecordEventInput['chat']>, nextEntry: number): void {
  if (incident.chat) return;
  // Entries from now on are posted; what came before is in the header and the ticket.
  incident.chat = { channelId: news.channelId, ...(news.name ? { name: news.name } : {}), postedThrough: nextEntry };
}

/** What the header shows, as one comparable string. */
export function headerShows(incident: IncidentSnapshot): string {
  return [incident.status, incident.severity, incident.roles.commander ?? ''].join('|');
}

export function headerText(incident: IncidentSnapshot): string {
  const commander = incident.roles.commander ? `Commander: ${incident.roles.commander}` : 'No commander yet';
  return `[${incident.severity}] ${incident.title}\nStatus: ${incident.status} · ${commander} · Firebreak incident ${incident.id}`;
}

/** Acknowledge while nobody has; Resolve until resolved. */
export function headerButtons(incident: IncidentSnapshot): ChatButton[] {
  const buttons: ChatButton[] = [];
  if (incident.status === IncidentStatus.Triggered) buttons.push({ action: 'incident.acknowledge', label: 'Acknowledge', value: incident.id, style: 'primary' });
  if (!hasReached(incident.status, IncidentStatus.Resolved)) buttons.push({ action: 'incident.resolve', label: 'Resolve', value: incident.id });
  return buttons;
}

/** The entries due for posting: those past `postedThrough` still held in the window, in order. */
export function dueEntries(incident: IncidentSnapshot, chat: IncidentChat): Array<{ number: number; entry: TimelineEntry }> {
  const start = incident.timelineStart ?? 0;
  const due: Array<{ number: number; entry: TimelineEntry }> = [];
  incident.timeline.forEach((entry, index) => {
    const number = start + index;
    if (number >= chat.postedThrough && MIRRORED.has(entry.kind)) due.push({ number, entry });
  });
  return due;
}

/** Entries that left the window before they were posted: counted, and passed over. */
export function passMissed(incident: IncidentSnapshot, chat: IncidentChat): void {
  const start = incident.timelineStart ?? 0;
  if (chat.postedThrough < start) {
    chat.missed = (chat.missed ?? 0) + (start - chat.postedThrough);
    chat.postedThrough = start;
  }
}

export function entryText(entry: TimelineEntry): string {
  return `${entry.actor}: ${entry.summary}`;
}

/** An approval request a runbook noted: Approve / Reject buttons for its execution. */
export function entryButtons(entry: TimelineEntry): ChatButton[] {
  const executionId = entry.details?.executionId;
  if (entry.kind !== 'runbook' || typeof executionId !== 'string' || entry.details?.approval !== 'requested') return [];
  return [
    { action: 'execution.approve', label: 'Approve', value: executionId, style: 'primary' },
    { action: 'execution.reject', label: 'Reject', value: executionId, style: 'danger' },
  ];
}

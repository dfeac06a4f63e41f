import type { IncidentSnapshot } from './incident';

/** "1h 02m 03s" style durations; postmortems are read by people. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return 'n/a';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * The incident's postmortem in Markdown, from its own state: summary, impact and duration,
 * response times, roles, the timeline, contributing factors (five whys, to fill in) and
 * action items.
 */
export function renderPostmortem(incident: IncidentSnapshot): string {
  const { metrics, roles } = incident;
  const lines: string[] = [];
  const duration =
    incident.resolvedAt !== undefined
      ? (Date.parse(incident.resolvedAt) - Date.parse(incident.openedAt)) / 1000
      : undefined;
  lines.push(`# Postmortem: ${incident.title}`, '');
  lines.push(`Incident \`${incident.id}\` · ${incident.severity}${incident.priority ? ` · ${incident.priority}` : ''} · ${incident.status}`, '');

  lines.push('## Summary', '');
  lines.push(incident.summary ?? `${incident.title}.`, '');
  lines.push(`- Service: ${incident.service ?? 'not set'}`);
  lines.push(`- Opened by: ${incident.openedBy}`);
  if (incident.policy) lines.push(`- Route: ${incident.policy.route}`);
  lines.push('');

  lines.push('## Impact and duration', '');
  lines.push(`- Opened: ${incident.openedAt}`);
  lines.push(`- Resolved: ${incident.resolvedAt ?? 'not yet'}`);
  lines.push(`- Duration: ${formatDuration(duration)}`);
  if (incident.policy) lines.push(`- Impact: ${incident.policy.impact}; urgency: ${incident.policy.urgency}`);
  lines.push(`- Alerts received: ${incident.alertCount}`);
  lines.push('');

  lines.push('## Response times', '');
  lines.push('| Measure | Time |', '| --- | --- |');
  lines.push(`| Time to acknowledge | ${formatDuration(metrics.timeToAcknowledgeSeconds)} |`);
  lines.push(`| Time to mitigate | ${formatDuration(metrics.timeToMitigateSeconds)} |`);
  lines.push(`| Time to resolve | ${formatDuration(metrics.timeToResolveSeconds)} |`);
  lines.push('');

  lines.push('## Roles', '');
  lines.push(`- Incident commander: ${roles.commander ?? 'unassigned'}`);
  lines.push(`- Communications lead: ${roles.communications ?? 'unassigned'}`);
  lines.push(`- Scribe: ${roles.scribe ?? 'unassigned'}`);
  lines.push(`- Investigators: ${roles.investigators.length ? roles.investigators.join(', ') : 'none'}`);
  lines.push('');

  lines.push('## Timeline', '');
  lines.push('| Time (UTC) | Actor | Event |', '| --- | --- | --- |');
  for (const entry of incident.timeline) {
    lines.push(`| ${entry.at} | ${escape(entry.actor)} | ${escape(entry.summary)} |`);
  }
  lines.push('');

  lines.push('## Contributing factors', '');
  lines.push('_Five whys: start from the problem and ask why until the answer is a cause to act on._', '');
  for (let why = 1; why <= 5; why++) lines.push(`${why}. Why? _to fill in_`);
  lines.push('');

  lines.push('## Action items', '');
  if (incident.actionItems.length === 0) lines.push('_None yet. Add them with the `add-action-item` action; each becomes a ticket when the incident closes._');
  for (const item of incident.actionItems) {
    const owner = item.owner ? ` (owner: ${item.owner})` : '';
    const ticket = item.ticket ? ` — ticket [${item.ticket.key}](${item.ticket.url})` : ' — ticket filed when the incident closes';
    lines.push(`- [ ] ${item.title}${owner}${ticket}`);
  }
  lines.push('');
  return lines.join('\n');
}

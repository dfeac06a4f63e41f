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

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Plain text as Markdown that renders as that text and nothing else: HTML's `&`, `<`, `>`
 * and `"` become entities (no raw HTML, no `<javascript:...>` autolinks), and the characters
 * that make emphasis, code, links, images, tables, strike-through and headings get a backslash. Line
 * breaks become spaces, so the text stays inside the line (heading, list item, table cell)
 * it was put in. Bare http(s) URLs may still be auto-linked by a renderer: they show their
 * real target.
 */
export function markdownInline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>"]/g, (c) => HTML_ENTITIES[c])
    .replace(/[\\`*_[\]|~!#]/g, (c) => `\\${c}`);
}

/**
 * Plain multi-line text as Markdown paragraphs: each line escaped as {@link markdownInline},
 * with what would start a block at the beginning of a line (`#` headings, `-`/`+`/`=`
 * rules and setext headings, `1.` lists, indented code) escaped or trimmed.
 */
export function markdownBlock(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => markdownInline(line.trimStart()).replace(/^([#+=-])|^(\d+)([.)])/, (_m, mark, digits, dot) => (mark ? `\\${mark}` : `${digits}\\${dot}`)))
    .join('\n');
}

const escape = markdownInline;

/** A link to a vendor URL only when it is http(s) (never `javascript:` or `data:`), else the key as text. */
function ticketLink(ticket: { key: string; url: string }): string {
  const safe = /^(https?:\/\/|\/)[^\s<>()]*$/i.test(ticket.url) && !ticket.url.startsWith('//');
  return safe ? `[${escape(ticket.key)}](${ticket.url})` : escape(ticket.key);
}

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
  lines.push(`# Postmortem: ${escape(incident.title)}`, '');
  lines.push(`Incident ${escape(incident.id)} · ${incident.severity}${incident.priority ? ` · ${incident.priority}` : ''} · ${incident.status}`, '');

  lines.push('## Summary', '');
  lines.push(incident.summary !== undefined ? markdownBlock(incident.summary) : `${escape(incident.title)}.`, '');
  lines.push(`- Service: ${incident.service !== undefined ? escape(incident.service) : 'not set'}`);
  lines.push(`- Opened by: ${escape(incident.openedBy)}`);
  if (incident.policy) lines.push(`- Route: ${escape(incident.policy.route)}`);
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
  const role = (name: string | undefined) => (name !== undefined ? escape(name) : 'unassigned');
  lines.push(`- Incident commander: ${role(roles.commander)}`);
  lines.push(`- Communications lead: ${role(roles.communications)}`);
  lines.push(`- Scribe: ${role(roles.scribe)}`);
  lines.push(`- Investigators: ${roles.investigators.length ? roles.investigators.map(escape).join(', ') : 'none'}`);
  lines.push('');

  lines.push('## Timeline', '');
  const earlier = incident.timelineStart ?? 0;
  if (earlier > 0) {
    // The incident holds a window of its newest entries; say what came before it.
    const kinds = Object.entries(incident.timelineDropped ?? {})
      .filter(([, count]) => (count ?? 0) > 0)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ');
    lines.push(`_${earlier} earlier ${earlier === 1 ? 'entry is' : 'entries are'} not shown${kinds ? ` (${kinds})` : ''}._`, '');
  }
  lines.push('| Time (UTC) | Actor | Event |', '| --- | --- | --- |');
  for (const entry of incident.timeline) {
    lines.push(`| ${escape(entry.at)} | ${escape(entry.actor)} | ${escape(entry.summary)} |`);
  }
  lines.push('');

  lines.push('## Contributing factors', '');
  lines.push('_Five whys: start from the problem and ask why until the answer is a cause to act on._', '');
  for (let why = 1; why <= 5; why++) lines.push(`${why}. Why? _to fill in_`);
  lines.push('');

  lines.push('## Action items', '');
  if (incident.actionItems.length === 0) lines.push('_None yet. Add them with the `add-action-item` action; each becomes a ticket when the incident closes._');
  for (const item of incident.actionItems) {
    const owner = item.owner ? ` (owner: ${escape(item.owner)})` : '';
    const ticket = item.ticket ? ` — ticket ${ticketLink(item.ticket)}` : ' — ticket filed when the incident closes';
    lines.push(`- [ ] ${escape(item.title)}${owner}${ticket}`);
  }
  lines.push('');
  return lines.join('\n');
}

import type { IncidentSnapshot } from './incident';
import { formatDuration, renderPostmortem } from './postmortem';

const incident: IncidentSnapshot = {
  id: 'inc-0123456789ab',
  title: 'Checkout errors',
  summary: 'Payments failed for EU customers.',
  status: 'resolved',
  severity: 'SEV1',
  priority: 'P1',
  service: 'checkout',
  openedAt: '2026-11-21T10:00:00.000Z',
  openedBy: 'alertmanager',
  acknowledgedAt: '2026-11-21T10:02:00.000Z',
  resolvedAt: '2026-11-21T11:30:05.000Z',
  metrics: { timeToAcknowledgeSeconds: 120, timeToResolveSeconds: 5405 },
  roles: { commander: 'alice', scribe: 'bob', investigators: ['carol', 'dan'] },
  alertCount: 3,
  firingAlerts: 0,
  alerts: [],
  actionItems: [{ id: 1, title: 'Add a canary | gate', owner: 'carol', addedBy: 'alice', ticket: { key: 'OPS-7', url: 'https://jira.example/browse/OPS-7' } }],
  escalation: { state: 'stopped', level: 0, round: 0, pages: 1 },
  runbooks: [],
  timeline: [{ at: '2026-11-21T10:00:00.000Z', kind: 'alert', actor: 'alertmanager', summary: 'Alert firing: 5xx > 5%' }],
  continuedAsNew: 0,
};

const section = (markdown: string, heading: string) => {
  const start = markdown.indexOf(`## ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(start, end === -1 ? undefined : end);
};

describe('postmortem', () => {
  const markdown = renderPostmortem(incident);

  it('has every section in order', () => {
    const headings = markdown.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual([
      '# Postmortem: Checkout errors',
      '## Summary',
      '## Impact and duration',
      '## Response times',
      '## Roles',
      '## Timeline',
      '## Contributing factors',
      '## Action items',
    ]);
  });

  it('fills each section from the incident', () => {
    expect(section(markdown, 'Summary')).toContain('Payments failed for EU customers.');
    expect(section(markdown, 'Impact and duration')).toContain('- Duration: 1h 30m 05s');
    expect(section(markdown, 'Response times')).toContain('| Time to acknowledge | 2m 00s |');
    expect(section(markdown, 'Response times')).toContain('| Time to mitigate | n/a |');
    expect(section(markdown, 'Roles')).toContain('- Incident commander: alice');
    expect(section(markdown, 'Roles')).toContain('- Investigators: carol, dan');
    expect(section(markdown, 'Roles')).toContain('- Communications lead: unassigned');
    expect(section(markdown, 'Timeline')).toContain('| 2026-11-21T10:00:00.000Z | alertmanager | Alert firing: 5xx > 5% |');
    expect(section(markdown, 'Contributing factors')).toContain('5. Why? _to fill in_');
    expect(section(markdown, 'Action items')).toContain('- [ ] Add a canary | gate (owner: carol) — ticket [OPS-7](https://jira.example/browse/OPS-7)');
  });

  it('formats durations for people', () => {
    expect(formatDuration(undefined)).toBe('n/a');
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(3600)).toBe('1h 00m 00s');
  });
});

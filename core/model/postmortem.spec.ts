import type { IncidentSnapshot } from './incident';
import fc from 'fast-check';
import { formatDuration, markdownBlock, markdownInline, renderPostmortem } from './postmortem';

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
    expect(section(markdown, 'Timeline')).toContain('| 2026-11-21T10:00:00.000Z | alertmanager | Alert firing: 5xx &gt; 5% |');
    expect(section(markdown, 'Contributing factors')).toContain('5. Why? _to fill in_');
    expect(section(markdown, 'Action items')).toContain('- [ ] Add a canary \\| gate (owner: carol) — ticket [OPS-7](https://jira.example/browse/OPS-7)');
  });

  it('says how many earlier timeline entries the held window leaves out, by kind', () => {
    const windowed = renderPostmortem({ ...incident, timelineStart: 1200, timelineDropped: { alert: 1150, note: 50 } });
    expect(section(windowed, 'Timeline')).toContain('_1200 earlier entries are not shown (1150 alert, 50 note)._');
    expect(section(markdown, 'Timeline')).not.toContain('not shown');
  });

  it('formats durations for people', () => {
    expect(formatDuration(undefined)).toBe('n/a');
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(3600)).toBe('1h 00m 00s');
  });

  describe('escaping: user text renders as text, never as markup', () => {
    const hostile = {
      script: '<script>alert(1)</script>',
      jsLink: '[click me](javascript:alert(1))',
      autolink: '<javascript:alert(1)>',
      image: '![pixel](https://tracker.example/p.gif)',
      heading: '# Not a heading',
      html: '<img src=x onerror=alert(1)>',
    };

    it('escapes HTML, links, images, emphasis and table pipes inline', () => {
      expect(markdownInline(hostile.script)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(markdownInline(hostile.jsLink)).toBe('\\[click me\\](javascript:alert(1))');
      expect(markdownInline(hostile.autolink)).toBe('&lt;javascript:alert(1)&gt;');
      expect(markdownInline(hostile.image)).toBe('\\!\\[pixel\\](https://tracker.example/p.gif)');
      expect(markdownInline('*bold* _it_ `code` ~~gone~~ a|b \\ &lt;')).toBe(
        '\\*bold\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ a\\|b \\\\ &amp;lt;',
      );
      expect(markdownInline('line one\n# line two')).toBe('line one \\# line two');
    });

    it('escapes what would start a block at the beginning of a line', () => {
      expect(markdownBlock('# Heading\n- item\n+ item\n1. first\n===\n    code\n> quote')).toBe(
        '\\# Heading\n\\- item\n\\+ item\n1\\. first\n\\===\ncode\n&gt; quote',
      );
    });

    it('never lets a field produce raw HTML, a link, an image or a heading in the postmortem', () => {
      const markdown = renderPostmortem({
        ...incident,
        title: `${hostile.script} ${hostile.jsLink}`,
        summary: `${hostile.heading}\n${hostile.image}\n${hostile.html}`,
        service: hostile.autolink,
        roles: { commander: '<@U123>', investigators: ['[x](javascript:1)'] },
        timeline: [{ at: '2026-11-21T10:00:00.000Z', kind: 'note', actor: 'eve|x', summary: `${hostile.jsLink}\n# h` }],
        actionItems: [
          { id: 1, title: hostile.image, owner: hostile.script, addedBy: 'eve', ticket: { key: 'OPS-1]', url: 'javascript:alert(1)' } },
        ],
      });
      expect(markdown).not.toMatch(/<[a-z/!?]/i);
      expect(markdown).not.toMatch(/(?<!\\)\]\(/);
      expect(markdown).not.toMatch(/(?<!\\)!\[/);
      expect(markdown.split('\n').filter((line) => line.startsWith('#'))).toEqual([
        '# Postmortem: &lt;script&gt;alert(1)&lt;/script&gt; \\[click me\\](javascript:alert(1))',
        '## Summary',
        '## Impact and duration',
        '## Response times',
        '## Roles',
        '## Timeline',
        '## Contributing factors',
        '## Action items',
      ]);
      expect(markdown).toContain('| eve\\|x |');
      expect(markdown).toContain('ticket OPS-1\\]');
    });

    it('keeps every line of any text inside its line, with no unescaped markup character (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (text) => {
          const inline = markdownInline(text);
          expect(inline).not.toMatch(/[\r\n<>"]/);
          // Every markup character is preceded by a backslash that is not itself escaped.
          expect(inline.replace(/\\[\\`*_[\]|~!#]/g, '')).not.toMatch(/[\\`*_[\]|~!#]/);
        }),
      );
    });
  });
});

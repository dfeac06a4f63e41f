import fc from 'fast-check';
import { jiraEscapeChar, jiraText, slackEscapeChar, slackText } from './markup';

describe('escaping plain text for each vendor', () => {
  it('Slack: mentions, broadcasts and disguised links become plain text', () => {
    expect(slackText('<!channel> <!here> <@U123> <#C42>', 1000)).toBe('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C42&gt;');
    expect(slackText('<http://evil.example|your bank>', 1000)).toBe('&lt;http://evil.example|your bank&gt;');
    expect(slackText('a & b &amp; c', 1000)).toBe('a &amp; b &amp;amp; c');
    // Emoji codes and bare URLs are not markup that can deceive: kept.
    expect(slackText(':rotating_light: see https://example.com/x?a=1', 1000)).toBe(':rotating_light: see https://example.com/x?a=1');
  });

  it('Slack: escaped text never holds an angle bracket or a bare ampersand, and fits (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 500 }), fc.integer({ min: 10, max: 600 }), (text, max) => {
        const escaped = slackText(text, max);
        expect(escaped.length).toBeLessThanOrEqual(max);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }),
    );
    expect(slackEscapeChar('<')).toBe('&lt;');
  });

  it('Jira: wiki markup characters get a backslash; backslashes and line-start blocks are defused', () => {
    expect(jiraText('[phish|http://evil.example] !http://t.example/p.gif! {color:red}x{color} [~admin] @alice', 1000)).toBe(
      '\\[phish\\|http://evil.example\\] \\!http://t.example/p.gif\\! \\{color:red\\}x\\{color\\} \\[\\~admin\\] \\@alice',
    );
    expect(jiraText('*bold* _it_ -strike- +under+ ^sup^ ~sub~ ??cite?? (!) ||head||', 1000)).toBe(
      '\\*bold\\* \\_it\\_ \\-strike\\- \\+under\\+ \\^sup\\^ \\~sub\\~ \\?\\?cite\\?\\? \\(\\!\\) \\|\\|head\\|\\|',
    );
    expect(jiraText('h1. Title\nbq. quote\n# item\n----', 1000)).toBe('h\u200b1. Title\nb\u200bq. quote\n\\# item\n\\-\\-\\-\\-');
    expect(jiraText('C:\\temp\\*x', 1000)).toBe('C:\uff3ctemp\uff3c\\*x');
    expect(jiraEscapeChar('a')).toBe('a');
  });

  it('Jira: every markup character in escaped text is escaped, and it fits (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 500 }), fc.integer({ min: 10, max: 600 }), (text, max) => {
        const escaped = jiraText(text, max);
        expect(escaped.length).toBeLessThanOrEqual(max);
        expect(escaped.replace(/\\[-#*_+?^~|%{}[\]()!@]/g, '')).not.toMatch(/[-#*_+?^~|%{}[\]()!@\\]/);
      }),
    );
  });
});

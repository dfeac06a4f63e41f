import { cleanLine, cleanText, compactId, escapeHtml, hasLineForbidden, hasTextForbidden, shortenKey, shortHash, truncateText, utf8Bytes, utf8Prefix } from './text';

describe('text rules', () => {
  it('counts UTF-8 bytes as Buffer does, surrogate pairs and lone surrogates included', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀b€é', '\uD800', 'x\uDC00y', '\u0000']) {
      expect(utf8Bytes(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });

  it('cuts at a character boundary, never inside a surrogate pair', () => {
    expect(utf8Prefix('😀😀', 5)).toBe('😀');
    expect(utf8Prefix('€€€', 7)).toBe('€€');
    expect(truncateText('€'.repeat(10), 10)).toBe('€€…');
    expect(utf8Bytes(truncateText('😀'.repeat(100), 101))).toBeLessThanOrEqual(101);
    expect(truncateText('short', 10)).toBe('short');
  });

  it('shortens long keys to a prefix and a hash: deterministic, bounded, and distinct for distinct keys', () => {
    const long = `{}:{${'alertname="x", '.repeat(40)}}`;
    const short = shortenKey(long, 255);
    expect(utf8Bytes(short)).toBeLessThanOrEqual(255);
    expect(short).toBe(shortenKey(long, 255));
    expect(short).not.toBe(shortenKey(`${long}!`, 255));
    expect(shortenKey('fits', 255)).toBe('fits');
    expect(shortHash('a')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('compacts ids idempotently', () => {
    const long = `state:${'f'.repeat(60)}`;
    expect(compactId(long)).toMatch(/^#[0-9a-f]{16}$/);
    expect(compactId(compactId(long))).toBe(compactId(long));
    expect(compactId('00000000-0000-4000-8000-000000000000')).toBe('00000000-0000-4000-8000-000000000000');
  });

  it.each([
    ['NUL', '\u0000'],
    ['a C0 control', '\u0007'],
    ['DEL', '\u007F'],
    ['a C1 control', '\u0085'],
    ['a right-to-left override', '\u202E'],
    ['a left-to-right embedding', '\u202A'],
    ['a first-strong isolate', '\u2068'],
    ['a pop-directional isolate', '\u2069'],
    ['a right-to-left mark', '\u200F'],
    ['a line separator', '\u2028'],
    ['a lone surrogate', '\uD83D'],
    ['a newline', '\n'],
    ['a tab', '\t'],
  ])('refuses %s in an identifier or title', (_what, character) => {
    expect(hasLineForbidden(`a${character}b`)).toBe(true);
    expect(hasLineForbidden('plain title: 50% of café requests fail 😀')).toBe(false);
  });

  it('lets free text keep tabs and newlines, but not other controls or overrides', () => {
    expect(hasTextForbidden('line 1\n\tline 2\r\n')).toBe(false);
    expect(hasTextForbidden('a\u0000b')).toBe(true);
    expect(hasTextForbidden('a\u202Eb')).toBe(true);
  });

  it('cleans vendor text instead of refusing it: one line for titles, newlines kept in text', () => {
    expect(cleanLine('disk\nfull\t\u202Eon db-1')).toBe('disk full \uFFFDon db-1');
    expect(cleanText('line 1\nline\u0000 2')).toBe('line 1\nline\uFFFD 2');
    expect(cleanLine('fine')).toBe('fine');
  });

  it('escapes the five characters that matter in HTML content and quoted attributes, and nothing else', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a> é 😀`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; é 😀');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

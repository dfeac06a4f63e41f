import { canonicalAlertIdentity, normalizeSeverity } from '../model/alert';
import { GenericAlertSchema, normalizeGenericAlert } from './alert';

describe('alert normalization', () => {
  it('maps SEV levels and common severity words', () => {
    expect(normalizeSeverity('sev2')).toBe('SEV2');
    expect(normalizeSeverity('critical')).toBe('SEV1');
    expect(normalizeSeverity('Warning')).toBe('SEV3');
    expect(normalizeSeverity('info')).toBe('SEV4');
    expect(normalizeSeverity('catastrophic')).toBeUndefined();
    expect(normalizeSeverity(undefined)).toBeUndefined();
  });

  it('gives the same identity for the same labels in any order, and a different one otherwise', () => {
    const a = canonicalAlertIdentity('prom', { b: '2', a: '1' });
    expect(a).toBe(canonicalAlertIdentity('prom', { a: '1', b: '2' }));
    expect(a).not.toBe(canonicalAlertIdentity('grafana', { a: '1', b: '2' }));
    // Quoting keeps "a=1,b=2" in one label apart from two labels.
    expect(canonicalAlertIdentity('x', { a: '1,b=2' })).not.toBe(canonicalAlertIdentity('x', { a: '1', b: '2' }));
  });

  it('takes the service from the labels when the body names none', () => {
    const body = GenericAlertSchema.parse({ source: 's', summary: 'down', status: 'firing', labels: { service: 'api' } });
    expect(normalizeGenericAlert(body, 'k')).toMatchObject({ service: 'api', dedupKey: 'k', annotations: {} });
  });

  it('keeps http(s) links and refuses other schemes, naming the link', () => {
    const base = { source: 'checks', summary: 'down', status: 'firing' as const };
    const body = GenericAlertSchema.parse({ ...base, links: [{ url: 'https://grafana.example.com/d/api', text: 'Dashboard ✓', kind: 'dashboard' }, { url: 'http://runbooks/api' }] });
    expect(normalizeGenericAlert(body, 'k').links).toEqual([
      { kind: 'dashboard', url: 'https://grafana.example.com/d/api', text: 'Dashboard ✓' },
      { kind: 'link', url: 'http://runbooks/api' },
    ]);
    const refused = GenericAlertSchema.safeParse({ ...base, links: [{ url: 'https://ok.example' }, { url: 'javascript:alert(1)' }] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0].path).toEqual(['links', 1, 'url']);
    expect(GenericAlertSchema.safeParse({ ...base, links: [{ url: 'https://a.example/\nb' }] }).success).toBe(false);
    expect(GenericAlertSchema.safeParse({ ...base, links: [{ url: 'https://a.example/\u202eb' }] }).success).toBe(false);
  });

  it('refuses unknown fields, so a misspelt dedupKey is not silently ignored', () => {
    const parsed = GenericAlertSchema.safeParse({ source: 's', summary: 'down', status: 'firing', dedup_key: 'x' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['dedup_key'] });
  });

  it('bounds the labels and annotations an alert may carry, so it fits in a Temporal call', () => {
    const entries = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    expect(GenericAlertSchema.safeParse({ source: 's', summary: 'down', status: 'firing', labels: entries(64) }).success).toBe(true);
    const parsed = GenericAlertSchema.safeParse({ source: 's', summary: 'down', status: 'firing', annotations: entries(65) });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['annotations'], message: 'at most 64 entries' });
  });

  it('measures sizes in UTF-8 bytes, not UTF-16 code units', () => {
    const alert = (summary: string) => GenericAlertSchema.safeParse({ source: 's', summary, status: 'firing' });
    // 682 three-byte characters are 2,046 bytes; 683 are 2,049, one over the 2 KiB summary limit.
    expect(alert('€'.repeat(682)).success).toBe(true);
    expect(alert('€'.repeat(683)).error?.issues[0]).toMatchObject({ path: ['summary'], message: 'at most 2048 bytes (UTF-8)' });
    const labels = { big: '😀'.repeat(257) }; // 514 code units, 1,028 bytes
    expect(GenericAlertSchema.safeParse({ source: 's', summary: 'x', status: 'firing', labels }).error?.issues[0]).toMatchObject({
      path: ['labels', 'big'],
      message: 'at most 1024 bytes (UTF-8)',
    });
  });

  it('bounds each map and the whole alert as JSON', () => {
    const values = (count: number, size: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'x'.repeat(size)]));
    const labels = GenericAlertSchema.safeParse({ source: 's', summary: 'x', status: 'firing', labels: values(9, 1000) });
    expect(labels.error?.issues[0]).toMatchObject({ path: ['labels'], message: 'at most 8192 bytes (UTF-8) as JSON' });
    // Each value within its 8 KiB, but newlines escape to two bytes each: the map is over its 16 KiB as JSON.
    const annotations = { a: '\n'.repeat(5000), b: '\n'.repeat(5000) };
    const map = GenericAlertSchema.safeParse({ source: 's', summary: 'x', status: 'firing', annotations });
    expect(map.error?.issues[0]).toMatchObject({ path: ['annotations'], message: 'at most 16384 bytes (UTF-8) as JSON' });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'reads a severity of %s as no severity, not as what every object inherits',
    (word) => {
      expect(normalizeSeverity(word)).toBeUndefined();
    },
  );

  it.each([
    ['source', { source: 'cron\u0000job' }],
    ['source', { source: 'cron\u202Ejob' }],
    ['summary', { summary: 'disk full\non db-1' }],
    ['summary', { summary: 'evil \u2066title\u2069' }],
    ['service', { service: 'api\u0085' }],
    ['dedupKey', { dedupKey: 'key\u200F' }],
  ])('refuses control and bidirectional characters in %s, naming the field', (field, change) => {
    const parsed = GenericAlertSchema.safeParse({ source: 's', summary: 'down', status: 'firing', ...change });
    expect(parsed.error?.issues[0]).toMatchObject({
      path: [field],
      message: 'no control, bidirectional-override or line-separator characters',
    });
  });

  it('refuses control characters in label names, and allows tabs and newlines in annotation values', () => {
    const labelName = GenericAlertSchema.safeParse({ source: 's', summary: 'x', status: 'firing', labels: { 'a\u0007b': 'v' } });
    expect(labelName.error?.issues[0]).toMatchObject({ path: ['labels', 'a\u0007b'] });
    const text = GenericAlertSchema.safeParse({ source: 's', summary: 'x', status: 'firing', annotations: { description: 'line 1\n\tline 2' } });
    expect(text.success).toBe(true);
    const nul = GenericAlertSchema.safeParse({ source: 's', summary: 'x', status: 'firing', annotations: { description: 'a\u0000b' } });
    expect(nul.error?.issues[0]).toMatchObject({ path: ['annotations', 'description'] });
  });
});

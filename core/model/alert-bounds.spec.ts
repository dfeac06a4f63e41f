import fc from 'fast-check';
import { ALERT_LINK_KINDS, type Alert } from './alert';
import { ALERT_LIMITS, boundAlert, STATE_ALERT_LIMITS, TRUNCATION_NOTE } from './alert-bounds';
import { routeAlert } from './routing';
import { matchesLabels } from './label-matchers';
import { priorityFor } from './priority';
import { jsonBytes, utf8Bytes } from './text';
import { testOperatorConfig } from '../../test/operator';

const alert = (change: Partial<Alert> = {}): Alert => ({
  source: 'alertmanager',
  status: 'firing',
  summary: 'disk full',
  dedupKey: 'alertmanager:{}:{alertname="DiskFull"}',
  labels: { alertname: 'DiskFull' },
  annotations: {},
  ...change,
});

describe('boundAlert', () => {
  it('returns an alert within the limits unchanged', () => {
    const input = alert();
    expect(boundAlert(input)).toBe(input);
  });

  it('cuts a 3 MB description to the annotation limit, with a note saying so', () => {
    const description = 'x'.repeat(3 * 1024 * 1024);
    const bounded = boundAlert(alert({ summary: description, annotations: { description } }));
    expect(utf8Bytes(bounded.annotations.description)).toBeLessThanOrEqual(ALERT_LIMITS.annotationValueBytes);
    expect(bounded.annotations.description.endsWith('…')).toBe(true);
    expect(utf8Bytes(bounded.summary)).toBeLessThanOrEqual(ALERT_LIMITS.summaryBytes);
    expect(bounded.annotations[TRUNCATION_NOTE]).toMatch(/annotations cut to 128-byte names and 8192-byte values; summary cut to 2048 bytes/);
    expect(jsonBytes(bounded)).toBeLessThan(40 * 1024);
  });

  it('shortens a long group key deterministically, so every delivery of the group lands on one incident', () => {
    const dedupKey = `alertmanager:{}:{${Array.from({ length: 60 }, (_, i) => `label${i}="value-${i}"`).join(', ')}}`;
    const first = boundAlert(alert({ dedupKey }));
    expect(utf8Bytes(first.dedupKey)).toBeLessThanOrEqual(ALERT_LIMITS.dedupKeyBytes);
    expect(first.dedupKey).toBe(boundAlert(alert({ dedupKey })).dedupKey);
    expect(first.dedupKey.startsWith('alertmanager:{}:{label0="value-0"')).toBe(true);
  });

  it('leaves out labels past the entry and byte limits, and says how many', () => {
    const labels = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`l${i}`, 'v']));
    const bounded = boundAlert(alert({ labels }));
    expect(Object.keys(bounded.labels)).toHaveLength(ALERT_LIMITS.labelEntries);
    expect(bounded.annotations[TRUNCATION_NOTE]).toContain('36 labels left out');
  });

  it('keeps a label named __proto__ as a plain label, without touching the prototype', () => {
    const labels = JSON.parse('{"__proto__": "x", "constructor": "y"}') as Record<string, string>;
    const bounded = boundAlert(alert({ labels: { ...labels, big: 'z'.repeat(5000) } }));
    expect(Object.getPrototypeOf(bounded.labels)).toBe(Object.prototype);
    expect(Object.hasOwn(bounded.labels, '__proto__')).toBe(true);
    expect(bounded.labels.constructor).toBe('y');
  });

  it('replaces control characters in vendor text rather than refusing the alert', () => {
    const bounded = boundAlert(alert({ summary: 'disk\nfull \u202Eon db-1', service: 'api\u0000' }));
    expect(bounded.summary).toBe('disk full \uFFFDon db-1');
    expect(bounded.service).toBe('api\uFFFD');
  });

  it('holds an alert in incident state at about 8 KB at most', () => {
    const big = (n: number) => Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v'.repeat(n)]));
    const bounded = boundAlert(alert({ labels: big(1000), annotations: big(8000), summary: 's'.repeat(2000) }), STATE_ALERT_LIMITS);
    expect(jsonBytes(bounded)).toBeLessThan(9 * 1024);
  });
});

describe('own-property lookups on input-keyed maps', () => {
  const words = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

  it.each(words)('routes an alert whose severity label is %s to a real severity', (word) => {
    const operator = testOperatorConfig();
    const mapped = { ...operator, defaultRoute: { ...operator.defaultRoute, severityMap: { page: 'SEV1' as const } } };
    expect(routeAlert(alert({ labels: { severity: word } }), mapped).severity).toBe('SEV3');
    expect(routeAlert(alert({ labels: { severity: 'page' } }), mapped).severity).toBe('SEV1');
  });

  it.each(words)('does not match a %s matcher against inherited properties', (word) => {
    expect(matchesLabels({ [word]: /.*/ }, { source: 'x', labels: {} })).toBe(false);
  });

  it('reads the priority matrix by its own rows only', () => {
    expect(priorityFor('high', 'high')).toBe('P1');
    expect(priorityFor('constructor' as never, 'high')).toBe('P3');
  });
});

describe('alert links', () => {
  const linkArb = fc.record({
    kind: fc.constantFrom(...ALERT_LINK_KINDS),
    url: fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string({ unit: 'binary', maxLength: 300 }).map((tail) => `https://grafana.example.com/${tail}`),
      fc.string({ maxLength: 40 }),
      fc.constant('javascript:alert(1)'),
      fc.nat(3_000).map((n) => `https://x.example/${'é'.repeat(n)}`),
    ),
    text: fc.option(fc.string({ unit: 'binary', maxLength: 400 }), { nil: undefined }),
  });

  it('keeps only whole one-line http(s) links, within the count and byte limits, in the state too', () => {
    fc.assert(
      fc.property(fc.array(linkArb, { maxLength: 30 }), (links) => {
        for (const limits of [ALERT_LIMITS, STATE_ALERT_LIMITS]) {
          const bounded = boundAlert(alert({ links }), limits).links ?? [];
          expect(bounded.length).toBeLessThanOrEqual(limits.linkEntries);
          expect(jsonBytes(bounded)).toBeLessThanOrEqual(limits.linksBytes);
          for (const link of bounded) {
            expect(links.some((given) => given.url.trim() === link.url)).toBe(true);
            expect(link.url).toMatch(/^https?:\/\/\S+$/i);
            expect(utf8Bytes(link.url)).toBeLessThanOrEqual(limits.externalUrlBytes);
            if (link.text !== undefined) expect(utf8Bytes(link.text)).toBeLessThanOrEqual(limits.linkTextBytes);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

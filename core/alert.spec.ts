import { canonicalAlertIdentity, GenericAlertSchema, normalizeGenericAlert, normalizeSeverity } from './alert';

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

  it('refuses unknown fields, so a misspelt dedupKey is not silently ignored', () => {
    const parsed = GenericAlertSchema.safeParse({ source: 's', summary: 'down', status: 'firing', dedup_key: 'x' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['dedup_key'] });
  });

  it('bounds the labels and annotations an alert may carry, so it fits in a Temporal call', () => {
    const entries = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    expect(GenericAlertSchema.safeParse({ source: 's', summary: 'down', status: 'firing', labels: entries(128) }).success).toBe(true);
    const parsed = GenericAlertSchema.safeParse({ source: 's', summary: 'down', status: 'firing', annotations: entries(129) });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['annotations'], message: 'at most 128 entries' });
  });
});

import fc from 'fast-check';
import { STEP_TEXT_MAX_BYTES, stepText } from '../core/schemas/capabilities/common';
import { fitEscaped, fitKey, fitLabel, fitSlug, fitText, VendorLimits } from './fit';

/** Any text, including astral code points (surrogate pairs) and line breaks. */
const anyText = (maxLength = 1500) => fc.string({ unit: 'grapheme', maxLength });
const limit = fc.integer({ min: 20, max: 1100 });
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('fitting values to vendor limits', () => {
  it('keeps what fits and shortens the rest: the examples the vendors refuse today', () => {
    const groupKey = `{}/{severity="page"}:{alertname="CheckoutLatency", ${'cluster="eu-west-1-prod-a", '.repeat(14)}}`;
    expect(groupKey.length).toBeGreaterThan(400);
    const fitted = fitKey(groupKey, VendorLimits.pagerDutyDedupKey);
    expect(fitted).toHaveLength(255);
    expect(fitted).toMatch(/^\{\}\/\{severity="page"\}:\{alertname="CheckoutLatency", cluster=.*~[0-9a-f]{16}$/);
    expect(fitKey('checkout-latency', 255)).toBe('checkout-latency');

    const description = 'x'.repeat(1500);
    expect(fitText(description, 1024)).toBe(`${'x'.repeat(1023)}…`);
    expect(fitText('short', 1024)).toBe('short');

    expect(fitLabel('service-Checkout API (EU)')).toBe('service-Checkout-API-(EU)');
    expect(fitSlug('inc-' + 'Checkout Service '.repeat(9), 73)).toMatch(/^inc-checkout-service-.*-[0-9a-f]{8}$/);
    expect(fitSlug('!!!', 80)).toBe('incident');
  });

  it('never splits a surrogate pair', () => {
    expect(fitText('ab😀cd', 4)).toBe('ab…');
    expect(fitKey(`${'a'.repeat(5)}😀${'b'.repeat(40)}`, 23)).toMatch(/^aaaaa~[0-9a-f]{16}$/);
    expect(fitKey(`${'a'.repeat(5)}😀${'b'.repeat(40)}`, 23)).not.toMatch(loneSurrogate);
  });

  it('fitText: always within the limit, unchanged when it fits, deterministic, a readable prefix (property)', () => {
    fc.assert(
      fc.property(anyText(), limit, (text, max) => {
        const fitted = fitText(text, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        expect(fitted).toBe(fitText(text, max));
        if (text.length <= max) expect(fitted).toBe(text);
        else {
          expect(fitted.endsWith('…')).toBe(true);
          expect(text.startsWith(fitted.slice(0, -1))).toBe(true);
          expect(fitted).not.toMatch(loneSurrogate);
        }
      }),
    );
  });

  it('fitKey: within the limit, deterministic, prefix of the key, distinct keys stay distinct (property)', () => {
    fc.assert(
      fc.property(anyText(), anyText(), limit, (a, b, max) => {
        const fitted = fitKey(a, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        expect(fitted).toBe(fitKey(a, max));
        if (a.length <= max) expect(fitted).toBe(a);
        else {
          expect(fitted).toMatch(/~[0-9a-f]{16}$/);
          expect(a.startsWith(fitted.slice(0, -17))).toBe(true);
          expect(fitted.length).toBeGreaterThanOrEqual(max - 1);
        }
        if (a !== b) expect(fitKey(a, max)).not.toBe(fitKey(b, max));
      }),
    );
    // Long keys that differ only past the cut: the hash tells them apart.
    fc.assert(
      fc.property(fc.uniqueArray(anyText(50), { minLength: 2, maxLength: 30 }), (tails) => {
        const keys = tails.map((tail) => `${'k'.repeat(300)}${tail}`);
        expect(new Set(keys.map((key) => fitKey(key, 255))).size).toBe(keys.length);
      }),
    );
  });

  it('fitSlug and fitLabel: what Slack and Jira accept, within the limit, deterministic (property)', () => {
    fc.assert(
      fc.property(anyText(300), fc.integer({ min: 10, max: 80 }), (name, max) => {
        const slug = fitSlug(name, max);
        expect(slug).toMatch(/^[a-z0-9_-]+$/);
        expect(slug.length).toBeLessThanOrEqual(max);
        expect(slug).toBe(fitSlug(name, max));
        const label = fitLabel(name);
        expect(label).not.toMatch(/\s/);
        expect(label.length).toBeGreaterThan(0);
        expect(label.length).toBeLessThanOrEqual(VendorLimits.jiraLabel);
      }),
    );
  });

  it('fitEscaped: within the limit and never cuts an escape in half (property)', () => {
    const escape = (point: string) => (point === '<' ? '&lt;' : point);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '<', '😀'), maxLength: 400 }), limit, (text, max) => {
        const fitted = fitEscaped(text, max, escape);
        expect(fitted.length).toBeLessThanOrEqual(max);
        const body = fitted.endsWith('…') && fitted.length < text.replaceAll('<', '&lt;').length ? fitted.slice(0, -1) : fitted;
        expect(text.replaceAll('<', '&lt;').startsWith(body)).toBe(true);
        expect(body.replaceAll('&lt;', '')).not.toMatch(/[&<]/);
      }),
    );
  });

  it('step text fields take any realistic length, bounded in UTF-8 bytes', () => {
    expect(stepText(1).safeParse('x'.repeat(STEP_TEXT_MAX_BYTES)).success).toBe(true);
    expect(stepText(1).safeParse('').success).toBe(false);
    const tooBig = stepText(1).safeParse('€'.repeat(STEP_TEXT_MAX_BYTES / 3 + 1));
    expect(tooBig.success).toBe(false);
    expect(tooBig.error?.issues[0].message).toBe('at most 65536 bytes (UTF-8)');
  });
});

import fc from 'fast-check';
import type { Alert } from './alert';
import { ALERT_LIMITS } from './alert-bounds';
import { DESCRIPTION_MAX_BYTES, incidentTexts } from './alert-templates';
import { hasLineForbidden, utf8Bytes } from './text';

const alert: Alert = {
  source: 'alertmanager',
  status: 'firing',
  summary: 'HighLatency on api-1',
  dedupKey: 'alertmanager:{}:{alertname="HighLatency"}',
  service: 'checkout',
  labels: { alertname: 'HighLatency', service: 'checkout', region: 'eu-1' },
  annotations: { description: 'p99 is 2.4 s' },
};

describe('route templates', () => {
  it("writes the title and description from the alert, and leaves the alert's summary as the title without them", () => {
    const texts = incidentTexts('checkout', {
      title: (a) => `${a.labels.service} p99 above SLO in ${a.labels.region}`,
      description: (a) => `${a.annotations.description}\nSee the dashboard.`,
    }, alert);
    expect(texts).toEqual({ title: 'checkout p99 above SLO in eu-1', description: 'p99 is 2.4 s\nSee the dashboard.', notes: [] });
    expect(incidentTexts('default', {}, alert)).toEqual({ title: alert.summary, notes: [] });
  });

  it('falls back when a template throws or gives no text, and says why', () => {
    const texts = incidentTexts('checkout', {
      title: (a) => (a.labels as Record<string, string | undefined>).missing!.toUpperCase(),
      description: () => '   ',
    }, alert);
    expect(texts.title).toBe(alert.summary);
    expect(texts.description).toBeUndefined();
    expect(texts.notes).toEqual([
      expect.stringMatching(/^The title template of route checkout failed \(.+\); the alert's summary is the title$/),
      'The description template of route checkout gave no text; the incident has no description',
    ]);
    const odd = incidentTexts('r', { title: () => 42 as unknown as string, description: () => { throw 'plain string'; } }, alert);
    expect(odd.notes).toEqual([
      "The title template of route r gave a number, not text; the alert's summary is the title",
      'The description template of route r failed (plain string); the incident has no description',
    ]);
  });

  it('cannot change the alert it reads', () => {
    const copy = structuredClone(alert);
    const texts = incidentTexts('r', {
      title: (a) => {
        (a.labels as Record<string, string>).service = 'changed';
        return 'never';
      },
    }, copy);
    expect(copy).toEqual(alert);
    expect(texts.title).toBe(alert.summary);
    expect(texts.notes[0]).toContain('failed');
  });

  it('bounds whatever a template returns: one line for the title, text within the limit for the description', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3_000 }), fc.string({ unit: 'binary', maxLength: 20_000 }), (title, description) => {
        const texts = incidentTexts('r', { title: () => title, description: () => description }, alert);
        expect(utf8Bytes(texts.title)).toBeLessThanOrEqual(ALERT_LIMITS.summaryBytes);
        expect(hasLineForbidden(texts.title)).toBe(false);
        expect(texts.title.trim().length).toBeGreaterThan(0);
        if (texts.description !== undefined) expect(utf8Bytes(texts.description)).toBeLessThanOrEqual(DESCRIPTION_MAX_BYTES);
      }),
      { numRuns: 200 },
    );
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expectWithinAlertLimits } from '../../../test/alert-arbitraries';
import { opsgenieAlert } from '../../../test/fixtures/alert-sources/arbitraries';
import {
  normalizeOpsgenieAlert,
  normalizeOpsgenieClose,
  OpsgenieCloseAlertSchema,
  OpsgenieCloseQuerySchema,
  OpsgenieCreateAlertSchema,
  opsgenieDedupKey,
} from './opsgenie';

/** Opsgenie's own documented example requests (test/fixtures/alert-sources). */
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/alert-sources', `opsgenie-${name}.json`), 'utf8'));

function issuesOf(body: unknown): string[] {
  const parsed = OpsgenieCreateAlertSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the request to be refused');
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('Opsgenie Alert API', () => {
  it('reads the documented create-alert example', () => {
    const alert = normalizeOpsgenieAlert(OpsgenieCreateAlertSchema.parse(fixture('create-alert')));
    expect(alert).toMatchObject({
      source: 'opsgenie',
      status: 'firing',
      summary: 'An example alert message',
      severity: 'SEV1',
      dedupKey: 'opsgenie:Life is too short for no alias',
      labels: { entity: 'An example entity', priority: 'P1', tags: 'OverwriteQuietHours,Critical' },
      annotations: {
        key1: 'value1',
        key2: 'value2',
        description: 'Every alert needs a description',
        actions: 'Restart, AnExampleAction',
      },
    });
    expect(alert.annotations.responders).toContain('team:NOC');
    expect(alert.annotations.responders).toContain('user:trinity@opsgenie.com');
  });

  it('maps P1-P5 onto SEV1-SEV4, P4 and P5 both to SEV4, and leaves an absent priority to the route', () => {
    const severityOf = (priority?: string) => normalizeOpsgenieAlert(OpsgenieCreateAlertSchema.parse({ message: 'm', ...(priority ? { priority } : {}) })).severity;
    expect(['P1', 'P2', 'P3', 'P4', 'P5'].map(severityOf)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV4']);
    expect(severityOf()).toBeUndefined();
  });

  it('dedups on the alias, else on the message', () => {
    expect(normalizeOpsgenieAlert(OpsgenieCreateAlertSchema.parse({ message: 'disk full' })).dedupKey).toBe('opsgenie:disk full');
    expect(opsgenieDedupKey('disk full')).toBe('opsgenie:disk full');
  });

  it('reads the documented close example as a resolved alert of the alias', () => {
    const alert = normalizeOpsgenieClose('Life is too short for no alias', OpsgenieCloseAlertSchema.parse(fixture('close-alert')));
    expect(alert).toMatchObject({
      status: 'resolved',
      dedupKey: 'opsgenie:Life is too short for no alias',
      annotations: { note: 'Action executed via Alert API', user: 'Monitoring Script', source: 'AWS Lambda' },
    });
  });

  it('names the field of a malformed request, and accepts only the alias identifier type', () => {
    expect(issuesOf({})).toEqual(['message: message is required']);
    expect(issuesOf({ message: 'm', priority: 'P0' })).toEqual(['priority: priority must be one of "P1", "P2", "P3", "P4", "P5"']);
    expect(issuesOf({ message: 'm', tags: 'critical' })).toEqual(['tags: tags must be an array of strings']);
    expect(issuesOf([])).toEqual([': the body must be an Opsgenie alert (a JSON object)']);
    expect(OpsgenieCloseQuerySchema.safeParse({ identifierType: 'alias' }).success).toBe(true);
    expect(OpsgenieCloseQuerySchema.safeParse({}).success).toBe(true);
    const tiny = OpsgenieCloseQuerySchema.safeParse({ identifierType: 'tiny' });
    expect(tiny.success ? [] : tiny.error.issues.map((issue) => issue.path.join('.'))).toEqual(['identifierType']);
  });

  it('cuts requests of any size to the alert limits, never refusing them', () => {
    fc.assert(
      fc.property(opsgenieAlert(), (body) => {
        const parsed = OpsgenieCreateAlertSchema.safeParse(body);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
        const alert = normalizeOpsgenieAlert(parsed.data);
        expectWithinAlertLimits(alert);
        // The same alias always lands on the same key, however long.
        expect(normalizeOpsgenieAlert(parsed.data).dedupKey).toBe(alert.dedupKey);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps __proto__ details as plain annotation keys', () => {
    const body = JSON.parse('{"message":"m","details":{"__proto__":"x","toString":"y"}}');
    const alert = normalizeOpsgenieAlert(OpsgenieCreateAlertSchema.parse(body));
    expect(Object.getPrototypeOf(alert.annotations)).toBe(Object.prototype);
    expect(Object.hasOwn(alert.annotations, '__proto__')).toBe(true);
  });
});

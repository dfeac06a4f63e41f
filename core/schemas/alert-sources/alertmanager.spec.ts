import firstGroup from '../../../test/fixtures/alertmanager/alertmanager-0.25-webhook-1.json';
import secondGroup from '../../../test/fixtures/alertmanager/alertmanager-0.25-webhook-2.json';
import firstGroupAgain from '../../../test/fixtures/alertmanager/alertmanager-0.25-webhook-3.json';
import {
  alertmanagerFingerprintKey,
  alertmanagerGroupKey,
  AlertmanagerWebhookSchema,
  normalizeAlertmanager,
} from './alertmanager';

const clone = <T>(value: T): T => structuredClone(value);

/** Every issue as `path: message`, the way the API's error filter shows them. */
function issuesOf(body: unknown): string[] {
  const parsed = AlertmanagerWebhookSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the payload to be refused');
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('Alertmanager webhook payloads', () => {
  it('accepts the captured Alertmanager 0.25 deliveries, Go zero endsAt and nanosecond times included', () => {
    for (const capture of [firstGroup, secondGroup, firstGroupAgain]) {
      expect(AlertmanagerWebhookSchema.safeParse(capture.body).success).toBe(true);
    }
  });

  it('turns a group of three firing alerts into three alerts sharing the group key', () => {
    const alerts = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(firstGroup.body));
    expect(alerts).toHaveLength(3);
    expect(alerts[0]).toEqual({
      source: 'alertmanager',
      status: 'firing',
      summary: 'p99 latency above 2s on a',
      severity: 'SEV1',
      dedupKey: 'alertmanager:{}:{alertname="HighRequestLatency", service="payments"}',
      service: 'payments',
      labels: { alertname: 'HighRequestLatency', instance: 'a', service: 'payments', severity: 'critical' },
      annotations: { runbook_url: 'https://runbooks.example.com/payments-latency', summary: 'p99 latency above 2s on a' },
      startsAt: '2026-11-21T06:21:31.416339706Z',
      fingerprint: '91a8b05b95f3a561',
      // generatorURL was empty in the capture: no link rather than an empty one.
      externalUrl: undefined,
      links: [
        { kind: 'runbook', url: 'https://runbooks.example.com/payments-latency' },
        { kind: 'external', url: 'http://vm:39556' },
      ],
    });
    expect(new Set(alerts.map((alert) => alert.dedupKey)).size).toBe(1);
    expect(alerts.map((alert) => alert.fingerprint)).toEqual(['91a8b05b95f3a561', '46be59c8485acdb0', '5c69c22dbf5d9453']);
  });

  it('gives different groups different dedup keys, and a group the same key on every delivery', () => {
    const [first] = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(firstGroup.body));
    const [second] = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(secondGroup.body));
    const [again] = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(firstGroupAgain.body));
    expect(second.dedupKey).not.toBe(first.dedupKey);
    expect(again.dedupKey).toBe(first.dedupKey);
    expect(second).toMatchObject({ severity: 'SEV3', service: 'search', summary: 'disk on search-3 fills within 4h' });
  });

  it('keeps each alert its own status when the group still fires', () => {
    const body = AlertmanagerWebhookSchema.parse(firstGroupAgain.body);
    expect(body.status).toBe('firing');
    expect(normalizeAlertmanager(body).map((alert) => [alert.fingerprint, alert.status])).toEqual([
      ['91a8b05b95f3a561', 'resolved'],
      ['46be59c8485acdb0', 'firing'],
      ['5c69c22dbf5d9453', 'firing'],
    ]);
  });

  it('reads a resolved notification: the whole group resolved, endsAt set', () => {
    const body = clone(secondGroup.body);
    body.status = 'resolved';
    body.alerts[0].status = 'resolved';
    body.alerts[0].endsAt = '2026-11-21T07:02:11.5Z';
    const [alert] = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(body));
    expect(alert).toMatchObject({ status: 'resolved', dedupKey: alertmanagerGroupKey(body), fingerprint: '1d4d0236e5b92363' });
  });

  it('dedups per alert when asked, with the fingerprint key', () => {
    const alerts = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(firstGroup.body), { dedupBy: 'fingerprint' });
    expect(alerts.map((alert) => alert.dedupKey)).toEqual([
      'alertmanager:fp:91a8b05b95f3a561',
      'alertmanager:fp:46be59c8485acdb0',
      'alertmanager:fp:5c69c22dbf5d9453',
    ]);
    expect(alertmanagerFingerprintKey({ fingerprint: 'abc' })).toBe('alertmanager:fp:abc');
  });

  it('merges common labels and annotations under each alert\'s own, the alert winning', () => {
    const body: any = clone(secondGroup.body);
    body.commonLabels = { ...body.commonLabels, team: 'storage', severity: 'info' };
    body.commonAnnotations = { ...body.commonAnnotations, dashboard: 'https://grafana.example.com/d/disk' };
    const [alert] = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(body));
    expect(alert.labels).toMatchObject({ team: 'storage', severity: 'warning' });
    expect(alert.severity).toBe('SEV3');
    expect(alert.annotations).toMatchObject({
      dashboard: 'https://grafana.example.com/d/disk',
      summary: 'disk on search-3 fills within 4h',
    });
  });

  it('writes a summary from the description, else the alert name and instance, and takes the job as service', () => {
    const body: any = clone(secondGroup.body);
    body.commonAnnotations = {};
    const normalizedWith = (labels: Record<string, string>, annotations: Record<string, string>) => {
      body.alerts[0].labels = labels;
      body.commonLabels = {};
      body.alerts[0].annotations = annotations;
      return normalizeAlertmanager(AlertmanagerWebhookSchema.parse(body))[0];
    };
    const labels = body.alerts[0].labels;
    expect(normalizedWith(labels, { description: 'Disk fills in 4h.' }).summary).toBe('Disk fills in 4h.');
    expect(normalizedWith(labels, { summary: '  ' }).summary).toBe('DiskWillFillIn4Hours on search-3');
    expect(normalizedWith({ alertname: 'Watchdog', job: 'prometheus' }, {})).toMatchObject({
      summary: 'Watchdog',
      service: 'prometheus',
      severity: undefined,
    });
    expect(normalizedWith({}, {}).summary).toBe('alertmanager alert 1d4d0236e5b92363');
  });

  it('takes a generatorURL as the alert\'s link, and reads null annotations as none', () => {
    const body: any = clone(secondGroup.body);
    body.alerts[0].generatorURL = 'http://prometheus:9090/graph?g0.expr=disk';
    body.alerts[0].annotations = null;
    body.commonAnnotations = null;
    const [alert] = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(body));
    expect(alert.externalUrl).toBe('http://prometheus:9090/graph?g0.expr=disk');
    expect(alert.annotations).toEqual({});
    expect(alert.summary).toBe('DiskWillFillIn4Hours on search-3');
  });

  it('allows fields a later Alertmanager may add', () => {
    const body: any = clone(firstGroup.body);
    body.newTopLevelField = { anything: true };
    body.alerts[0].newAlertField = 1;
    expect(AlertmanagerWebhookSchema.safeParse(body).success).toBe(true);
  });

  describe('refuses malformed payloads, naming the field', () => {
    it('labels that are not a map of strings', () => {
      const body: any = clone(firstGroup.body);
      body.alerts[0].labels = 'alertname=HighRequestLatency';
      expect(issuesOf(body)).toEqual(['alerts.0.labels: labels must be an object of string values']);
      body.alerts[0].labels = { alertname: 'x', replicas: 3 };
      expect(issuesOf(body)).toEqual(['alerts.0.labels.replicas: labels values must be strings']);
    });

    it('missing fields Firebreak reads', () => {
      const body: any = clone(firstGroup.body);
      delete body.groupKey;
      delete body.alerts[1].fingerprint;
      delete body.alerts[2].startsAt;
      expect(issuesOf(body)).toEqual([
        'groupKey: groupKey is required',
        'alerts.1.fingerprint: fingerprint is required',
        'alerts.2.startsAt: startsAt is required',
      ]);
    });

    it('a status other than firing or resolved, a bad time, and another payload version', () => {
      const body: any = clone(firstGroup.body);
      body.version = '5';
      body.alerts[0].status = 'pending';
      body.alerts[0].startsAt = 'yesterday';
      expect(issuesOf(body)).toEqual([
        'version: version must be "4", the Alertmanager webhook payload version Firebreak reads',
        'alerts.0.status: status must be one of "firing", "resolved"',
        'alerts.0.startsAt: startsAt must be an RFC 3339 date-time',
      ]);
    });

    it('no alerts, or not a payload at all', () => {
      const body: any = clone(firstGroup.body);
      body.alerts = [];
      expect(issuesOf(body)).toEqual(['alerts: alerts must hold at least one alert']);
      body.alerts = {};
      expect(issuesOf(body)).toEqual(['alerts: alerts must be an array']);
      expect(AlertmanagerWebhookSchema.safeParse('firing').success).toBe(false);
    });
  });
});

/**
 * A real Prometheus Alertmanager delivers its webhooks to Firebreak's
 * `POST /v1/alerts/alertmanager`: alerts go in through Alertmanager's own v2 API, and the
 * test reads what Firebreak made of them through the incidents API. Nothing is captured or
 * replayed; Alertmanager groups, batches, resolves and authenticates as it does in production.
 *
 * Needs the `alertmanager` binary (Debian: /usr/bin/prometheus-alertmanager), which
 * scripts/install-test-tools.sh installs. Without it the test skips, saying so; in CI
 * (where `CI` is set) it fails instead.
 */
import { randomBytes } from 'node:crypto';
import { TestFirebreak, TEST_KEY_NAMES, TEST_KEYS } from '../firebreak';
import { testOperatorConfig } from '../operator';
import { waitFor } from '../wait';
import {
  ALERTMANAGER_BIN_ENV,
  findAlertmanagerBinary,
  startAlertmanager,
  type PostableAlert,
  type RunningAlertmanager,
  type WebhookAuth,
} from './alertmanager';

const binary = findAlertmanagerBinary();
const MISSING =
  `no Alertmanager binary (looked for 'alertmanager' and 'prometheus-alertmanager' on PATH and in /usr/bin, and $${ALERTMANAGER_BIN_ENV}): ` +
  `run 'sudo bash scripts/install-test-tools.sh' (installs Debian's prometheus-alertmanager)`;
if (!binary && process.env.CI && process.env.CI !== 'false') throw new Error(MISSING);

/** Label values no other run shares, so every Alertmanager group (and incident) is this run's own. */
const uniqueService = (name: string) => `${name}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

const inThePast = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Talks to one Firebreak and one Alertmanager that delivers to it. */
function senderPair(operator: Parameters<typeof testOperatorConfig>[0], auth: (key: string) => WebhookAuth) {
  const pair = {} as { firebreak: TestFirebreak; alertmanager: RunningAlertmanager };
  beforeAll(async () => {
    pair.firebreak = await TestFirebreak.start({ operator: testOperatorConfig(operator) });
    pair.alertmanager = await startAlertmanager(binary!, {
      webhookUrl: `${pair.firebreak.http.baseUrl}/v1/alerts/alertmanager`,
      auth: auth(TEST_KEYS.sender),
    });
  });
  afterAll(async () => {
    await pair.alertmanager?.stop();
    await pair.firebreak?.stop();
  });
  return {
    get firebreak() {
      return pair.firebreak;
    },
    get alertmanager() {
      return pair.alertmanager;
    },
    /** waitFor, with Alertmanager's log in the message when it times out (a refused delivery shows there). */
    async until<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
      try {
        return await waitFor(what, check);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- Alertmanager output ---\n${pair.alertmanager.output()}`);
      }
    },
    async incidentsOf(service: string): Promise<Array<{ id: string; title?: string; severity?: string; service?: string }>> {
      const answer = await pair.firebreak.as('viewer').get(`/v1/incidents?service=${encodeURIComponent(service)}`);
      if (answer.status !== 200) throw new Error(`listing incidents: ${answer.status} ${answer.text}`);
      return answer.body.incidents;
    },
    async incident(id: string): Promise<any> {
      const answer = await pair.firebreak.as('viewer').get(`/v1/incidents/${id}`);
      if (answer.status !== 200) throw new Error(`reading incident ${id}: ${answer.status} ${answer.text}`);
      return answer.body;
    },
  };
}

/** Alerts whose states Firebreak recorded, as `instance:status`, oldest first. */
const states = (incident: { alerts: Array<{ labels: Record<string, string>; status: string }> }) =>
  incident.alerts.map((alert) => `${alert.labels.instance}:${alert.status}`);

if (!binary) {
  describe('a real Prometheus Alertmanager delivering webhooks', () => {
    // jest has no skip reason: the reason is the skipped test's name, and a warning.
    console.warn(`Skipping the real-Alertmanager test: ${MISSING}`);
    it.skip(`SKIPPED: ${MISSING}`, () => undefined);
  });
} else {
  describe('a real Prometheus Alertmanager delivering webhooks (authorization credentials: Bearer)', () => {
    const env = senderPair({}, (key) => ({ bearer: key }));
    const service = uniqueService('am-checkout');
    const startsAt = inThePast(60_000);
    const latency = (instance: string, extra: Partial<PostableAlert> = {}): PostableAlert => ({
      labels: { alertname: 'HighRequestLatency', service, instance, severity: 'critical' },
      annotations: { summary: `p99 latency above 2s on ${instance}`, runbook_url: 'https://runbooks.example.com/latency' },
      startsAt,
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=latency&instance=${instance}`,
      ...extra,
    });
    const errors = (extra: Partial<PostableAlert> = {}): PostableAlert => ({
      labels: { alertname: 'ErrorBudgetBurn', service, instance: 'c', severity: 'warning' },
      annotations: { summary: `error budget burning on ${service}` },
      startsAt,
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=errors',
      ...extra,
    });
    const ids = { latency: '', errors: '' };

    it('opens one incident per Alertmanager group, with every alert, its labels and its mapped severity', async () => {
      await env.alertmanager.postAlerts([latency('a'), latency('b'), errors()]);

      // Two groups (alertname+service) of the one service: two incidents, each with all its alerts.
      const listed = await env.until('two incidents for the service, each with all its alerts', async () => {
        const incidents = await env.incidentsOf(service);
        if (incidents.length < 2) return undefined;
        const full = await Promise.all(incidents.map(({ id }) => env.incident(id)));
        return full.reduce((sum, incident) => sum + incident.firingAlerts, 0) === 3 ? { incidents, full } : undefined;
      });
      expect(listed.incidents).toHaveLength(2);
      const byName = (name: string) => listed.full.find((incident) => incident.alerts[0].labels.alertname === name);
      const latencyIncident = byName('HighRequestLatency');
      const errorsIncident = byName('ErrorBudgetBurn');
      ids.latency = latencyIncident.id;
      ids.errors = errorsIncident.id;

      expect(latencyIncident).toMatchObject({
        status: 'triggered',
        severity: 'SEV1',
        service,
        dedupKey: `alertmanager:{}:{alertname="HighRequestLatency", service="${service}"}`,
        openedBy: 'alertmanager',
        alertCount: 2,
        firingAlerts: 2,
      });
      expect([...states(latencyIncident)].sort()).toEqual(['a:firing', 'b:firing']);
      for (const instance of ['a', 'b']) {
        expect(latencyIncident.alerts).toContainEqual(
          expect.objectContaining({
            source: 'alertmanager',
            status: 'firing',
            severity: 'SEV1',
            service,
            labels: { alertname: 'HighRequestLatency', service, instance, severity: 'critical' },
            annotations: { summary: `p99 latency above 2s on ${instance}`, runbook_url: 'https://runbooks.example.com/latency' },
            summary: `p99 latency above 2s on ${instance}`,
            startsAt: expect.any(String),
            fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
            externalUrl: `http://prometheus.example:9090/graph?g0.expr=latency&instance=${instance}`,
          }),
        );
      }
      // Alertmanager keeps the start Prometheus gave (it may drop sub-millisecond digits).
      expect(new Date(latencyIncident.alerts[0].startsAt).getTime()).toBe(new Date(startsAt).getTime());
      // The delivery was authenticated with the sender key named `prometheus`.
      expect(latencyIncident.timeline).toContainEqual(expect.objectContaining({ kind: 'alert', actor: TEST_KEY_NAMES.sender }));

      expect(errorsIncident).toMatchObject({ status: 'triggered', severity: 'SEV3', service, alertCount: 1, firingAlerts: 1 });
      expect(errorsIncident.alerts).toEqual([
        expect.objectContaining({ status: 'firing', labels: { alertname: 'ErrorBudgetBurn', service, instance: 'c', severity: 'warning' } }),
      ]);

      // Alertmanager's side: its webhook deliveries went through, none failed.
      expect(await env.alertmanager.metric('alertmanager_notifications_total', { integration: 'webhook' })).toBeGreaterThanOrEqual(2);
      expect(await env.alertmanager.metric('alertmanager_notifications_failed_total', { integration: 'webhook' })).toBe(0);
    });

    it('records a resolved alert on its incident, which stays open: the route does not auto-mitigate', async () => {
      expect(ids.latency).not.toBe('');
      await env.alertmanager.postAlerts([latency('a', { endsAt: inThePast(1_000) })]);

      const latencyIncident = await env.until('the resolved alert on the latency incident', async () => {
        const incident = await env.incident(ids.latency);
        return incident.firingAlerts === 1 ? incident : undefined;
      });
      // Alertmanager sends the whole group again (a resolved, b still firing); b's unchanged state is not recorded twice.
      expect(states(latencyIncident)).toEqual(expect.arrayContaining(['a:firing', 'b:firing']));
      expect(states(latencyIncident).slice(2)).toEqual(['a:resolved']);
      expect(latencyIncident).toMatchObject({ alertCount: 3, firingAlerts: 1, status: 'triggered' });
      expect(latencyIncident.alerts[2]).toMatchObject({ status: 'resolved', labels: expect.objectContaining({ instance: 'a' }) });
      expect(latencyIncident.timeline).toContainEqual(
        expect.objectContaining({ kind: 'alert', summary: 'Alert resolved: p99 latency above 2s on a' }),
      );

      // Every alert of the other group resolves; without autoMitigate the incident still waits for a person.
      await env.alertmanager.postAlerts([errors({ endsAt: inThePast(1_000) })]);
      const errorsIncident = await env.until('the errors incident to have no firing alert', async () => {
        const incident = await env.incident(ids.errors);
        return incident.firingAlerts === 0 ? incident : undefined;
      });
      expect(errorsIncident).toMatchObject({ alertCount: 2, status: 'triggered' });
      expect(errorsIncident.mitigatedAt).toBeUndefined();

      expect(await env.incidentsOf(service)).toHaveLength(2);
      expect(await env.alertmanager.metric('alertmanager_notifications_failed_total', { integration: 'webhook' })).toBe(0);
    });
  });

  describe('a real Prometheus Alertmanager delivering webhooks (auto-mitigating route)', () => {
    const env = senderPair({ autoMitigate: true }, (key) => ({ bearer: key }));
    const service = uniqueService('am-search');
    const startsAt = inThePast(60_000);
    const saturation = (instance: string, extra: Partial<PostableAlert> = {}): PostableAlert => ({
      labels: { alertname: 'CPUSaturated', service, instance, severity: 'high' },
      annotations: { description: `CPU above 95% on ${instance}` },
      startsAt,
      ...extra,
    });

    it('mitigates the incident once Alertmanager reports every alert of the group resolved', async () => {
      await env.alertmanager.postAlerts([saturation('a'), saturation('b')]);
      const opened = await env.until('one incident with both alerts firing', async () => {
        const listed = await env.incidentsOf(service);
        if (listed.length !== 1) return undefined;
        const incident = await env.incident(listed[0].id);
        return incident.firingAlerts === 2 ? incident : undefined;
      });
      expect(opened).toMatchObject({ status: 'triggered', severity: 'SEV2', service, alertCount: 2 });
      // No generatorURL given: Alertmanager sends "", which Firebreak leaves out; the description stands in for a summary.
      expect(opened.alerts[0].summary).toMatch(/^CPU above 95% on [ab]$/);
      expect(opened.alerts[0]).not.toHaveProperty('externalUrl');

      await env.alertmanager.postAlerts([saturation('a', { endsAt: inThePast(1_000) })]);
      const partly = await env.until('one alert resolved', async () => {
        const incident = await env.incident(opened.id);
        return incident.firingAlerts === 1 ? incident : undefined;
      });
      // One alert still fires: not mitigated yet.
      expect(partly.status).toBe('triggered');

      await env.alertmanager.postAlerts([saturation('b', { endsAt: inThePast(1_000) })]);
      const mitigated = await env.until('the incident to be mitigated', async () => {
        const incident = await env.incident(opened.id);
        return incident.status === 'mitigated' ? incident : undefined;
      });
      expect(mitigated).toMatchObject({ firingAlerts: 0, alertCount: 4, mitigatedAt: expect.any(String) });
      expect(states(mitigated).slice(2)).toEqual(['a:resolved', 'b:resolved']);
      expect(mitigated.timeline).toContainEqual(
        expect.objectContaining({ actor: 'firebreak', summary: expect.stringContaining('Every alert resolved') }),
      );
      expect(await env.incidentsOf(service)).toHaveLength(1);
      expect(await env.alertmanager.metric('alertmanager_notifications_failed_total', { integration: 'webhook' })).toBe(0);
    });
  });

  describe('a real Prometheus Alertmanager with basic_auth', () => {
    const env = senderPair({}, (key) => ({ basic: { username: 'alertmanager', password: key } }));
    const service = uniqueService('am-basic');

    it('is refused even with a right key: Firebreak takes Bearer only, and opens no incident', async () => {
      await env.alertmanager.postAlerts([{ labels: { alertname: 'DiskFull', service, instance: 'a', severity: 'critical' }, startsAt: inThePast(60_000) }]);
      // Alertmanager does not retry a 4xx: one failed notification, and nothing on Firebreak's side.
      await env.until('Alertmanager to report the refused delivery', async () =>
        (await env.alertmanager.metric('alertmanager_notifications_failed_total', { integration: 'webhook' })) >= 1,
      );
      expect(await env.incidentsOf(service)).toEqual([]);
      expect(env.alertmanager.output()).toMatch(/401/);
    });
  });
}

import type { Alert } from '../model/alert';
import { loadOperatorConfig, OperatorConfigError, type OperatorFiles } from './operator-config';
import { routeAlert } from '../model/routing';

const files = (overrides: Partial<Record<'routes' | 'escalationPolicies' | 'heartbeats' | 'responders' | 'schedules', unknown>> = {}): OperatorFiles => ({
  routes: {
    file: 'runbooks/routes.ts',
    value: overrides.routes ?? {
      routes: [
        { name: 'db', match: { service: /^db-/, severity: 'critical' }, impact: 'high', urgency: 'high', escalationPolicy: 'dba', dedupBy: 'alert' },
        { name: 'pages', match: { severity: 'page' }, severityMap: { page: 'SEV1' }, runbooks: ['service-health-check'] },
      ],
      default: { impact: 'low', urgency: 'low', autoMitigate: true },
    },
  },
  escalationPolicies: {
    file: 'runbooks/escalation-policies.ts',
    value: overrides.escalationPolicies ?? { dba: { levels: [{ targets: ['dba-primary'] }, { targets: ['dba-lead'], timeoutSeconds: 60 }] } },
  },
  heartbeats: {
    file: 'runbooks/heartbeats.ts',
    value: overrides.heartbeats ?? [{ name: 'backup', intervalSeconds: 60, senders: ['backup-job'] }],
  },
  responders: {
    file: 'runbooks/responders.ts',
    value: overrides.responders ?? [
      { id: 'dana', name: 'Dana', timeZone: 'Europe/Berlin', contact: { email: 'dana@example.com' }, rules: [{ method: 'email', afterMinutes: 0 }] },
    ],
  },
  schedules: {
    file: 'runbooks/schedules.ts',
    value: overrides.schedules ?? [
      { id: 'dba', name: 'DBA', timeZone: 'UTC', layers: [{ name: 'weekly', responders: ['dana'], start: '2026-01-05', handoff: '09:00', shift: { every: 1, unit: 'weeks' } }] },
    ],
  },
  runbookIds: ['service-health-check'],
});

const alert = (labels: Record<string, string>, extra: Partial<Alert> = {}): Alert => ({
  source: 'alertmanager',
  status: 'firing',
  summary: 's',
  dedupKey: 'k',
  labels,
  annotations: {},
  ...extra,
});

describe('operator config', () => {
  it('loads valid files with their defaults', () => {
    const config = loadOperatorConfig(files());
    expect(config.escalationPolicies.get('dba')).toEqual({
      name: 'dba',
      repeat: 0,
      levels: [
        { targets: ['dba-primary'], timeoutSeconds: 300, notify: 'all' },
        { targets: ['dba-lead'], timeoutSeconds: 60, notify: 'all' },
      ],
    });
    expect(config.heartbeats.get('backup')).toMatchObject({ graceSeconds: 60, severity: 'SEV2', onRecovery: 'mitigate' });
  });

  it('takes fallback targets on a policy: paged through the built-in pager when the provider refuses', () => {
    const config = loadOperatorConfig(files({ escalationPolicies: { dba: { levels: [{ targets: ['dba-primary'] }], fallback: ['ops-phone'] } } }));
    expect(config.escalationPolicies.get('dba')).toMatchObject({ fallback: ['ops-phone'] });
  });

  it('takes people, schedules and PagerDuty services as targets, and round-robin levels', () => {
    const levels = [{ targets: ['schedule:dba', 'user:dana'], notify: 'round-robin' }, { targets: ['pagerduty:db-platform', 'dba-lead'] }];
    const config = loadOperatorConfig(files({ escalationPolicies: { dba: { levels, fallback: ['user:dana', 'ops-phone'] } } }));
    expect(config.escalationPolicies.get('dba')?.levels.map((level) => level.notify)).toEqual(['round-robin', 'all']);
    expect(config.responders.get('dana')?.name).toBe('Dana');
    expect(config.schedules.get('dba')?.layers[0].responders).toEqual(['dana']);
  });

  it.each([
    [{ routes: { routes: [{ name: 'x', match: {} }], default: {} } }, 'runbooks/routes.ts: routes.0.match: a route matches at least one label'],
    [{ routes: { routes: [{ name: 'x', match: { a: 'b' }, escalationPolicy: 'nobody' }], default: {} } }, 'runbooks/routes.ts: routes.0.escalationPolicy: no escalation policy "nobody" in runbooks/escalation-policies.ts'],
    [{ routes: { routes: [], default: { runbooks: ['no-such-runbook'] } } }, 'runbooks/routes.ts: default.runbooks.0: no runbook "no-such-runbook" in runbooks/'],
    [{ routes: { routes: [], default: { severity: 'SEV9' } } }, 'runbooks/routes.ts: default.severity: Invalid option'],
    [{ escalationPolicies: { dba: { levels: [] } } }, 'runbooks/escalation-policies.ts: dba.levels: a policy has at least one level'],
    [{ escalationPolicies: { dba: { levels: [{ targets: ['x'], timeoutSeconds: 0 }] } } }, 'runbooks/escalation-policies.ts: dba.levels.0.timeoutSeconds: Too small'],
    [{ escalationPolicies: { dba: { levels: [{ targets: ['x'] }], fallback: [] } } }, 'runbooks/escalation-policies.ts: dba.fallback: a fallback pages at least one target'],
    [{ heartbeats: [{ name: 'Backup Job', intervalSeconds: 60 }] }, 'runbooks/heartbeats.ts: 0.name: lowercase letters'],
    [{ heartbeats: [{ name: 'a', intervalSeconds: 60, senders: ['cron'] }, { name: 'a', intervalSeconds: 5, senders: ['cron'] }] }, 'runbooks/heartbeats.ts: 1.name: "a" is used twice'],
    [{ heartbeats: [{ name: 'backup', intervalSeconds: 60 }] }, "runbooks/heartbeats.ts: 0.senders: required: the names (in API_KEYS) of the keys allowed to ping this monitor, e.g. senders: ['backup-job']"],
    [{ heartbeats: [{ name: 'backup', intervalSeconds: 60, senders: [] }] }, "runbooks/heartbeats.ts: 0.senders: required: the names (in API_KEYS)"],
    [{ heartbeats: [{ name: 'backup', intervalSeconds: 60, senders: ['backup job'] }] }, "runbooks/heartbeats.ts: 0.senders.0: an API key's name"],
    [
      { escalationPolicies: { 'primary-on-call': { levels: [{ targets: ['schedule:dba'] }, { targets: ['user:dana', 'user:x'] }] } } },
      'runbooks/escalation-policies.ts: primary-on-call.levels.1.targets.1: no responder "x" in runbooks/responders.ts',
    ],
    [{ escalationPolicies: { dba: { levels: [{ targets: ['schedule:nights'] }] } } }, 'runbooks/escalation-policies.ts: dba.levels.0.targets.0: no schedule "nights" in runbooks/schedules.ts'],
    [{ escalationPolicies: { dba: { levels: [{ targets: ['x'] }], fallback: ['ops', 'user:eve'] } } }, 'runbooks/escalation-policies.ts: dba.fallback.1: no responder "eve" in runbooks/responders.ts'],
    [{ escalationPolicies: { dba: { levels: [{ targets: ['shedule:dba'] }] } } }, 'runbooks/escalation-policies.ts: dba.levels.0.targets.0: not a target: write user:<id>, schedule:<id>, pagerduty:<service>'],
    [{ escalationPolicies: { dba: { levels: [{ targets: ['pagerduty:DB Platform'] }] } } }, 'runbooks/escalation-policies.ts: dba.levels.0.targets.0: not a target'],
    [{ escalationPolicies: { dba: { levels: [{ targets: ['x'], notify: 'some' }] } } }, 'runbooks/escalation-policies.ts: dba.levels.0.notify: Invalid option'],
    [{ responders: [{ id: 'dana' }] }, 'runbooks/responders.ts: 0.name: Invalid input'],
    [{ schedules: [{ id: 'dba', name: 'DBA', timeZone: 'Mars/Base', layers: [] }] }, 'runbooks/schedules.ts: 0.timeZone: not an IANA time zone'],
  ])('names the file and field of a mistake (%#)', (override, message) => {
    let error: unknown;
    try {
      loadOperatorConfig(files(override));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OperatorConfigError);
    expect((error as OperatorConfigError).problems.join('\n')).toContain(message);
  });
});

describe('routing', () => {
  const config = loadOperatorConfig(files());

  it('takes the first route whose matchers all hold', () => {
    const decision = routeAlert(alert({ service: 'db-main', severity: 'critical' }, { severity: 'SEV1', fingerprint: 'f' }), config);
    expect(decision).toMatchObject({ severity: 'SEV1', dedupBy: 'alert', policy: { route: 'db', priority: 'P1' } });
    expect(decision.policy.escalation?.name).toBe('dba');
  });

  it('maps a severity label through the route', () => {
    const decision = routeAlert(alert({ severity: 'page' }), config);
    expect(decision.severity).toBe('SEV1');
    expect(decision.policy.runbooks).toEqual(['service-health-check']);
  });

  it('falls back to the default route', () => {
    const decision = routeAlert(alert({ service: 'web' }, { service: 'web' }), config);
    expect(decision).toMatchObject({ severity: 'SEV3', service: 'web', dedupBy: 'group', policy: { route: 'default', priority: 'P5', autoMitigate: true } });
    expect(decision.policy.escalation).toBeUndefined();
  });

  it('matches the alert source as a label', () => {
    const bySource = loadOperatorConfig(files({ routes: { routes: [{ name: 'g', match: { source: 'grafana' }, severity: 'SEV0' }], default: {} } }));
    expect(routeAlert(alert({}, { source: 'grafana' }), bySource).severity).toBe('SEV0');
    expect(routeAlert(alert({}), bySource).severity).toBe('SEV3');
  });
});

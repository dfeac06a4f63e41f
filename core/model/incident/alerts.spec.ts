import type { ReceivedAlert } from '../alert';
import { alertIdentity, autoMitigates, recoveryMove, refuseAlerts } from './alerts';
import { newIncident } from './lifetime';

const input = { incidentId: 'INC-1', title: 'Checkout down', severity: 'SEV2' as const, openedBy: 'ops', commander: 'ann' };
const fresh = () => newIncident(input, '2026-12-07T10:00:00.000Z');

describe('incident alerts', () => {
  const alert = (status: 'firing' | 'resolved') => ({ receiptId: 'r1', receivedAt: 'now', receivedBy: 'am', alert: { status, summary: 's', source: 'x', dedupKey: 'k', labels: { a: '1' } } }) as unknown as ReceivedAlert;

  it('refuses empty batches, and firing alerts once the incident is resolved', () => {
    const incident = fresh();
    expect(refuseAlerts(incident, [])).toEqual({ invalid: 'an alert batch holds at least one alert' });
    incident.status = 'resolved';
    expect(refuseAlerts(incident, [alert('firing')])).toEqual({ notOpen: 'incident INC-1 is resolved; firing alerts open a new incident' });
    expect(refuseAlerts(incident, [alert('resolved')])).toBeUndefined();
  });

  it('identifies alerts by dedup key and labels when they have no fingerprint', () => {
    expect(alertIdentity(alert('firing').alert)).toBe(alertIdentity(alert('resolved').alert));
  });

  it('auto-mitigates only when the route says so and every tracked alert resolved', () => {
    const incident = { ...fresh(), policy: { autoMitigate: true, runbooks: [] } as never };
    expect(autoMitigates(incident, 1, 0, false)).toBe(true);
    expect(autoMitigates(incident, 1, 0, true)).toBe(false);
    expect(autoMitigates(incident, 0, 0, false)).toBe(false);
  });

  it('a recovered heartbeat mitigates by default, resolves when told, records otherwise', () => {
    const incident = fresh();
    expect(recoveryMove(incident, 'recovered')?.status).toBe('mitigated');
    incident.policy = { onRecovery: 'resolve' } as never;
    expect(recoveryMove(incident, 'recovered')?.status).toBe('resolved');
    incident.policy = { onRecovery: 'record' } as never;
    expect(recoveryMove(incident, 'recovered')).toBeUndefined();
    expect(recoveryMove(fresh(), undefined)).toBeUndefined();
  });
});

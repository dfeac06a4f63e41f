/**
 * PagerDuty's Events API v2 (developer.pagerduty.com): `POST /v2/enqueue` with the routing
 * key in the body, answered 202 with the dedup key. Like PagerDuty, it keeps one alert per
 * dedup key: a trigger for an open key adds to it, and only a new key counts as an effect.
 * It enforces PagerDuty's field limits: `dedup_key` at most 255 characters, `summary` 1,024.
 * Alerts are kept per service, as PagerDuty does: the default key's by dedup key, another
 * service's as `<service>|<dedup key>`.
 */
import { StubRejection, StubServer } from './stub-server';

export const PAGERDUTY_ROUTING_KEY = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';
/** Routing keys of two more services, for `pagerduty:<service>` targets. */
export const PAGERDUTY_SERVICE_KEYS = { payments: 'PAYMENTSKEY0123456789ABCDEFGHIJK', platform: 'PLATFORMKEY0123456789ABCDEFGHIJK' } as const;

/** The settings that point the PagerDuty adapter at a stub at `url`. */
export const pagerDutySettings = (url: string) => ({
  PAGING_PROVIDER: 'pagerduty',
  PAGERDUTY_ROUTING_KEY,
  PAGERDUTY_SERVICE_KEYS: Object.entries(PAGERDUTY_SERVICE_KEYS).map(([service, key]) => `${service}=${key}`).join(','),
  PAGERDUTY_EVENTS_URL: url,
});

/** Which service a routing key belongs to; the default key's alerts are kept by dedup key alone. */
const SERVICE_OF = new Map<string, string | undefined>([
  [PAGERDUTY_ROUTING_KEY, undefined],
  ...Object.entries(PAGERDUTY_SERVICE_KEYS).map(([service, key]) => [key, service] as [string, string]),
]);

export async function startPagerDutyStub() {
  const alerts = new Map<string, { status: 'triggered' | 'acknowledged' | 'resolved'; events: number; summary: string }>();
  const stub = new StubServer({
    vendor: 'PagerDuty',
    // The Events API authenticates by the routing key in the body.
    authorize: ({ body }) => SERVICE_OF.has(body?.routing_key),
    unauthorized: { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] } },
  });
  stub.route('enqueue', 'POST', '/v2/enqueue', ({ body }) => {
    const invalid = (error: string) => new StubRejection({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: [error] } });
    if (!['trigger', 'acknowledge', 'resolve'].includes(body?.event_action)) throw invalid("'event_action' is invalid");
    const dedup: string | undefined = body.dedup_key;
    if (dedup !== undefined && String(dedup).length > 255) throw invalid("'dedup_key' must be at most 255 characters");
    const service = SERVICE_OF.get(body.routing_key);
    const key = dedup === undefined || service === undefined ? dedup : `${service}|${dedup}`;
    if (body.event_action === 'trigger') {
      const { summary, source, severity } = body.payload ?? {};
      if (!summary || !source || !['critical', 'error', 'warning', 'info'].includes(severity)) throw invalid("'payload' is missing or invalid");
      if (String(summary).length > 1024) throw invalid("'payload.summary' must be at most 1024 characters");
      const open = key ? alerts.get(key) : undefined;
      if (open && open.status !== 'resolved') open.events += 1;
      else {
        alerts.set(key ?? `pd-${alerts.size + 1}`, { status: 'triggered', events: 1, summary });
        stub.effect('alert.open');
      }
    } else {
      if (!key) throw invalid("'dedup_key' is required for this event_action");
      const open = alerts.get(key);
      if (open && open.status !== 'resolved') open.status = body.event_action === 'resolve' ? 'resolved' : 'acknowledged';
    }
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedup } };
  });
  await stub.start();
  return { stub, alerts };
}

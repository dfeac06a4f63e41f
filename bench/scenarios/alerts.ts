import { genericDedupKey, incidentIdFor } from '../../temporal-client/incident-ids';

/** The alerts the scenarios send: generic webhook bodies, each firing, on the default route. */
export interface GenericAlertBody {
  source: string;
  summary: string;
  status: 'firing' | 'resolved';
  dedupKey: string;
  severity?: string;
  service?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const BENCH_SOURCE = 'bench';

export function firingAlert(dedupKey: string, summary: string, service?: string, severity?: string): GenericAlertBody {
  return {
    source: BENCH_SOURCE,
    summary,
    status: 'firing',
    dedupKey,
    ...(service ? { service } : {}),
    ...(severity ? { severity } : {}),
    labels: { alertname: 'BenchAlert', instance: dedupKey },
    annotations: { description: 'synthetic alert from npm run bench' },
  };
}

/** The id of the first incident a bench alert with `dedupKey` opens (the API namespaces generic keys by source). */
export function benchIncidentId(dedupKey: string): string {
  return incidentIdFor(genericDedupKey(BENCH_SOURCE, dedupKey), 1);
}

export interface AlertAnswer {
  incidentId: string | null;
  status: 'recorded' | 'queued' | 'ignored';
  receiptId: string;
}

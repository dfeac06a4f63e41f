/** The alerts the scenarios send: generic webhook bodies, each firing, on the default route. */
export interface GenericAlertBody {
  source: string;
  summary: string;
  status: 'firing' | 'resolved';
  dedupKey: string;
  service?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function firingAlert(dedupKey: string, summary: string, service?: string): GenericAlertBody {
  return {
    source: 'bench',
    summary,
    status: 'firing',
    dedupKey,
    ...(service ? { service } : {}),
    labels: { alertname: 'BenchAlert', instance: dedupKey },
    annotations: { description: 'synthetic alert from npm run bench' },
  };
}

export interface AlertAnswer {
  incidentId: string | null;
  status: 'recorded' | 'queued' | 'ignored';
  receiptId: string;
}

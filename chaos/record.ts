/**
 * The incident record after a round: every incident the run has opened so far is in it
 * (listed with `archived=true`, which reads the record alone), so a record killed mid-storm
 * lost none of what it held and its projection caught up with what came while it was down.
 */
import type { FirebreakApi } from './api';
import { boundedWait, type Invariant } from './invariants';

interface RecordPage {
  incidents: Array<{ id: string }>;
  nextPageToken: string | null;
}

/** Every id of `expected` is listed by the record, within the bound. */
export async function checkRecord(api: FirebreakApi, expected: string[], timeoutMs: number): Promise<Invariant> {
  const listed = new Set<string>();
  const missing = () => expected.filter((id) => !listed.has(id));
  const page = (pageToken: string | null) =>
    api.get<RecordPage>(`/v1/incidents?${new URLSearchParams({ archived: 'true', pageSize: '500', ...(pageToken ? { pageToken } : {}) })}`);
  const ok = await boundedWait(timeoutMs, async () => {
    let pageToken: string | null = null;
    do {
      const { status, body } = await page(pageToken);
      if (status !== 200) return false;
      for (const { id } of body.incidents) listed.add(id);
      pageToken = body.nextPageToken;
    } while (pageToken);
    return missing().length === 0;
  });
  const absent = missing();
  return {
    name: 'the record holds every incident of the run so far',
    ok,
    counts: { expected: expected.length, inRecord: expected.length - absent.length, missing: absent.length },
    ...(absent.length ? { note: `not in the record: ${absent.slice(0, 5).join(', ')}` } : {}),
  };
}

/**
 * Issue 21's short chaos run, in `npm test` (the full one is `npm run chaos`, docs/chaos.md):
 * `npm start` on the built code takes a storm of alerts, each with an `Idempotency-Key` and
 * retried as a monitoring system retries (chaos/api.ts), while its worker and then its
 * Temporal dev server are killed with SIGKILL. The supervisor restarts each, the dev server on
 * the same SQLite file, and every alert answered 202 is on its dedup key's one incident.
 * npm start's whole output stays in dist/test-deploy/chaos-short/npm-start.log.
 */
import { FirebreakApi, READS } from '../../chaos/api';
import { type Deployment, restarted } from '../../chaos/cluster';
import { startSingleBox } from '../../chaos/start';
import { checkStorm, startStorm, type Storm } from '../../chaos/storm';
import { waitFor } from '../wait';
import { builtCode, ROOT } from './processes';

const ALERTS = 200;
const KEYS = 20;

describe('npm start under fire (the short chaos run)', () => {
  let dist: string;
  let box: Deployment | undefined;

  beforeAll(() => {
    dist = builtCode('chaos-short');
  }, 300_000);

  afterAll(async () => {
    await box?.stop();
  }, 60_000);

  /** `kill -9` of `name` once the storm has sent `sent` alerts; `back` settles when it runs again. */
  async function killMidStorm(deployment: Deployment, storm: Storm, name: string, sent: number) {
    await waitFor(`${sent} of the storm's alerts sent`, () => storm.sent >= sent, { timeoutMs: 120_000 });
    const pid = deployment.pid(name);
    process.kill(pid, 'SIGKILL');
    return { back: restarted(deployment, name, pid, 120_000) };
  }

  it('keeps every alert it answered 202 on its incident when the worker and the Temporal server are killed mid-storm', async () => {
    box = await startSingleBox(dist, {}, { root: ROOT, startTimeoutMs: 180_000, echo: false });
    const storm = startStorm(new FirebreakApi(box.apiUrls, box.adminKey), 'chaos-short', { alerts: ALERTS, keys: KEYS, concurrency: 8 });
    // The second kill does not wait for the first restart, so both strike while alerts still come in.
    const worker = await killMidStorm(box, storm, 'worker', ALERTS / 4);
    const temporal = await killMidStorm(box, storm, 'temporal', ALERTS / 2);
    await Promise.all([worker.back, temporal.back, storm.done]);

    const held = await checkStorm(new FirebreakApi(box.apiUrls, box.adminKey, READS), storm, KEYS, 120_000);
    expect(held.counts).toMatchObject({ alertsAnswered: ALERTS, alertsUnanswered: 0, alertsRefused: 0, incidents: KEYS, alertsOnIncidents: ALERTS, extraIncidents: 0 });
    expect(held).toMatchObject({ ok: true });
    expect(box.running()).toBe(true);
  }, 300_000);
});

import fc from 'fast-check';
import type { QueuedAlert } from '../core/model/incident';
import { goesFirst, SEVERITIES } from '../core/model/incident-model';
import { currentGeneration, inDeliveryOrder } from './alert-delivery';

describe('finding a dedup key\'s current generation', () => {
  it('finds the first generation that is not past, in a logarithmic number of probes', async () => {
    await fc.assert(
      fc.asyncProperty(
        // `past` generations 1..past are behind the key's current one; `from` is the hint.
        fc.integer({ min: 0, max: 1_000_000 }).chain((past) => fc.tuple(fc.constant(past), fc.integer({ min: 1, max: past + 1 }))),
        async ([past, from]) => {
          const probed: number[] = [];
          const found = await currentGeneration(from, async (generation) => {
            probed.push(generation);
            return generation <= past;
          });
          expect(found).toBe(past + 1);
          expect(probed.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(past + 2 - from)) + 2);
          // It never probes below its hint: generations before it are known to be past.
          expect(Math.min(...probed)).toBeGreaterThanOrEqual(from);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers the hint itself with one probe when it is current', async () => {
    let probes = 0;
    expect(await currentGeneration(7, async () => (probes++, false))).toBe(7);
    expect(probes).toBe(1);
  });
});

describe('the order an alert queue delivers its keys in', () => {
  const queued = (dedupKey: string, severity: (typeof SEVERITIES)[number], n: number) =>
    ({ alert: { receiptId: `${dedupKey}-${n}`, alert: { dedupKey } }, template: { severity } }) as unknown as QueuedAlert;

  it('delivers keys with a SEV0–SEV1 alert first, each group and each key in arrival order, every alert once', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.constantFrom(...SEVERITIES)), { maxLength: 60 }), (arrivals) => {
        const alerts = arrivals.map(([key, severity], n) => queued(`key-${key}`, severity, n));
        const order = inDeliveryOrder(alerts);
        // Every alert once, each key once, each key's alerts as they arrived.
        expect(order.flatMap(([, list]) => list).sort((a, b) => a.alert.receiptId.localeCompare(b.alert.receiptId))).toEqual(
          [...alerts].sort((a, b) => a.alert.receiptId.localeCompare(b.alert.receiptId)),
        );
        expect(new Set(order.map(([key]) => key)).size).toBe(order.length);
        for (const [key, list] of order) expect(list).toEqual(alerts.filter((alert) => alert.alert.alert.dedupKey === key));
        // Urgent keys first, then the rest, each group by first arrival.
        const urgent = order.map(([, list]) => list.some((alert) => goesFirst(alert.template.severity)));
        expect(urgent).toEqual([...urgent].sort((a, b) => Number(b) - Number(a)));
        const firstSeen = (key: string) => alerts.findIndex((alert) => alert.alert.alert.dedupKey === key);
        for (const group of [true, false]) {
          const seen = order.filter((_, index) => urgent[index] === group).map(([key]) => firstSeen(key));
          expect(seen).toEqual([...seen].sort((a, b) => a - b));
        }
      }),
    );
  });
});

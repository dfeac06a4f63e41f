import fc from 'fast-check';
import { currentGeneration } from './alert-delivery';

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

import { performance } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Two processes on one machine
 * agree on it to within about a millisecond; {@link calibrate} measures the rest.
 */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * How far another process's {@link now} runs ahead of ours: of `rounds` ping-pongs, the one
 * with the shortest round trip bounds the error by half that round trip.
 */
export async function calibrate(remoteNow: () => Promise<number>, rounds = 40): Promise<{ offsetMs: number; errorMs: number }> {
  let best = { offsetMs: 0, errorMs: Number.POSITIVE_INFINITY };
  for (let round = 0; round < rounds; round++) {
    const sent = now();
    const remote = await remoteNow();
    const received = now();
    const errorMs = (received - sent) / 2;
    if (errorMs < best.errorMs) best = { offsetMs: remote - (sent + received) / 2, errorMs };
  }
  return best;
}

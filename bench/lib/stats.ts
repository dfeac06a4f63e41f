/** Percentiles and summaries of latency samples (milliseconds). */

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The `p`th percentile (0–100) of ascending `sorted`, interpolating between neighbours. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
  };
}

/** `count` evenly spaced quantiles (0 % to 100 %), enough to redraw a distribution. */
export function quantiles(samples: readonly number[], count = 101): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  return Array.from({ length: count }, (_, index) => round(percentile(sorted, (index * 100) / (count - 1))));
}

export const ratio = (a: number, b: number, digits = 3) => round(a / b, digits);
export { round };

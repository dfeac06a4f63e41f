/** The value of one sample in a Prometheus scrape, e.g. `name{label="x"}` (0 when absent). */
export function metricValue(scrape: string, sample: string): number {
  const line = scrape.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

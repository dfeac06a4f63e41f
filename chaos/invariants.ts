/** What a round checks after its fault, and the bounded wait every check uses. */

export interface Invariant {
  name: string;
  ok: boolean;
  /** The figures behind the verdict, to read in chaos-latest.json. */
  counts: Record<string, number>;
  /** What went wrong, when something did. */
  note?: string;
}

/**
 * Polls `check` until it answers true or `timeoutMs` passes; answers whether it held. Unlike
 * test/wait.ts's waitFor it never throws: a check that does not hold in time still reports
 * its counts. Errors of one poll (an API restarting) count as "not yet".
 */
export async function boundedWait(timeoutMs: number, check: () => Promise<boolean>, intervalMs = 1_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // Not yet: the next poll asks again.
    }
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Runs `work` on every item, `concurrency` at a time: a check reads hundreds of incidents,
 * and one at a time would make the reading, not the system, the slow part.
 */
export async function forEachAtOnce<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

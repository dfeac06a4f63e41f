/** Runs `work` over `count` items with at most `concurrency` in flight; items are taken in order. */
export async function pool(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/**
 * Runs `a` then `b` for each of `warmup + samples` indexes, one at a time (A, B, A, B), so
 * machine noise hits both alike; answers the results after the warm-up.
 */
export async function alternate<A, B>(
  warmup: number,
  samples: number,
  a: (index: number) => Promise<A>,
  b: (index: number) => Promise<B>,
): Promise<{ a: A[]; b: B[] }> {
  const results = { a: [] as A[], b: [] as B[] };
  for (let index = 0; index < warmup + samples; index++) {
    const ofA = await a(index);
    const ofB = await b(index);
    if (index < warmup) continue;
    results.a.push(ofA);
    results.b.push(ofB);
  }
  return results;
}

/** A small seeded PRNG (mulberry32): the same storm order on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Timing marks from instrumented activities, in the driver's clock; the first mark per key wins. */
export class Marks {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, Array<(at: number) => void>>();

  add(key: string, at: number): void {
    if (this.seen.has(key)) return;
    this.seen.set(key, at);
    const waiting = this.waiters.get(key);
    if (!waiting) return;
    this.waiters.delete(key);
    for (const resolve of waiting) resolve(at);
  }

  /** When `key` was marked; waits for it up to `timeoutMs`. */
  wait(key: string, timeoutMs = 30_000): Promise<number> {
    const at = this.seen.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const waiting = this.waiters.get(key)?.filter((entry) => entry !== done) ?? [];
        if (waiting.length) this.waiters.set(key, waiting);
        else this.waiters.delete(key);
        reject(new Error(`no first action for ${key} within ${timeoutMs / 1000}s`));
      }, timeoutMs);
      const done = (when: number) => {
        clearTimeout(timer);
        resolve(when);
      };
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), done]);
    });
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  /** Forgets every mark (between scenarios). */
  clear(): void {
    this.seen.clear();
  }
}

/**
 * Keys seen in the last `ttlMs`, at most `capacity` of them. Every key lives the same time,
 * so insertion order is expiry order and the oldest go first. When every held key is still
 * fresh and there is no room, a new key is refused ('full') rather than an old one forgotten:
 * forgetting would let that one through again.
 */
export class RecentKeys {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Notes `key`: 'added' when new, 'seen' when held already, 'full' when there is no room. */
  add(key: string): 'added' | 'seen' | 'full' {
    const now = this.clock();
    for (const [held, until] of this.expiries) {
      if (until > now) break;
      this.expiries.delete(held);
    }
    if (this.expiries.has(key)) return 'seen';
    if (this.expiries.size >= this.capacity) return 'full';
    this.expiries.set(key, now + this.ttlMs);
    return 'added';
  }

  has(key: string): boolean {
    const until = this.expiries.get(key);
    return until !== undefined && until > this.clock();
  }

  get size(): number {
    return this.expiries.size;
  }
}

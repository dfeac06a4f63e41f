/**
 * One value shared by every request: read at most once per `ttlMs`, and while a read is in
 * flight every caller awaits that same read (single flight). A `ttlMs` of 0 turns both off:
 * every call reads (as before caching existed). Failures are values too (the reader returns them), so a failing source is not asked
 * once per request either.
 */
export class SharedRead<T> {
  private cached?: { at: number; value: T };
  private inFlight?: Promise<T>;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached value while fresh; otherwise the result of one (shared) read. */
  get(): Promise<T> {
    if (this.ttlMs === 0) return this.read();
    if (this.cached && this.clock() - this.cached.at < this.ttlMs) return Promise.resolve(this.cached.value);
    if (this.inFlight) return this.inFlight;
    const started = this.clock();
    this.inFlight = this.read()
      .then((value) => {
        this.cached = { at: started, value };
        return value;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

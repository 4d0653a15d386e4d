// Sign-in attempt limits per key (a username, an address): at most `max` failures in a sliding
// `windowMs`. In memory: one node's view, which is what a brute-force attempt hits.
export class AttemptLimiter {
  private failures = new Map<string, number[]>();

  constructor(private max: number, private windowMs: number, private now: () => number = Date.now) {}

  /** ms until the key may try again; 0 when it may try now. */
  retryAfter(key: string): number {
    const list = this.prune(key);
    if (list.length < this.max) return 0;
    return list[0]! + this.windowMs - this.now();
  }

  fail(key: string): void {
    const list = this.prune(key);
    list.push(this.now());
    this.failures.set(key, list);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}

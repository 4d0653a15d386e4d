// Sign-in attempt limits, in memory: one node's view, which is what a brute-force attempt hits.
// Each map is bounded (oldest key dropped first) so that a flood of made-up names or addresses
// cannot grow it without end.
const MAX_KEYS = 100_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key); // re-inserted last: the map's order is least recently touched first
  map.set(key, value);
  if (map.size > MAX_KEYS) map.delete(map.keys().next().value!);
}

/** At most `max` failures per key (an address) in a sliding `windowMs`. */
export class AttemptLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private max: number,
    private windowMs: number,
    private now: () => number = Date.now,
  ) {}

  /** ms until the key may try again; 0 when it may try now. */
  retryAfter(key: string): number {
    const list = this.prune(key);
    if (list.length < this.max) return 0;
    return list[0]! + this.windowMs - this.now();
  }

  fail(key: string): void {
    const list = this.prune(key);
    list.push(this.now());
    remember(this.failures, key, list);
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

export interface BackoffOptions {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after the first failure past `free`; it doubles with each further one. */
  baseMs: number;
  maxMs: number;
  /** A key with no failure for this long starts again from nothing. */
  forgetMs: number;
}

/**
 * Exponential backoff per key (a user at an address): after `free` failures each further one
 * doubles the wait, counted from the last failure, up to `maxMs`. A success resets the key.
 */
export class BackoffLimiter {
  private state = new Map<string, { failures: number; last: number }>();

  constructor(
    private opts: BackoffOptions,
    private now: () => number = Date.now,
  ) {}

  /** The wait that the key's failures so far impose after the last one. */
  waitMs(key: string): number {
    const s = this.current(key);
    if (!s || s.failures < this.opts.free) return 0;
    return Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** (s.failures - this.opts.free));
  }

  /** ms until the key may try again; 0 when it may try now. */
  retryAfter(key: string): number {
    const s = this.current(key);
    return s ? Math.max(0, s.last + this.waitMs(key) - this.now()) : 0;
  }

  fail(key: string): void {
    const s = this.current(key);
    remember(this.state, key, { failures: (s?.failures ?? 0) + 1, last: this.now() });
  }

  reset(key: string): void {
    this.state.delete(key);
  }

  private current(key: string) {
    const s = this.state.get(key);
    if (s && this.now() - s.last > this.opts.forgetMs) {
      this.state.delete(key);
      return undefined;
    }
    return s;
  }
}

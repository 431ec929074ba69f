/**
 * The hot tier: short-lived state shared by every instance of the service. Redis in production;
 * an in-process implementation for a single instance. Nothing that must survive a restart lives
 * only here (see "Storage" in DESIGN.md).
 */
export interface HotStore {
  readonly kind: 'memory' | 'redis';
  readonly description: string;

  /**
   * Claims `key` for `ttlMs`. True for the first caller; false while an unexpired claim exists.
   * `owner` (an instance id) is stored as the claim's value, so `get(key)` says who holds it.
   */
  claim(key: string, ttlMs: number, owner?: string): Promise<boolean>;

  /** Extends a claim `owner` still holds; false when it expired or someone else holds it now. */
  renewClaim(key: string, owner: string, ttlMs: number): Promise<boolean>;

  /**
   * Takes the lock on `key`, waiting up to `waitMs` in arrival order. The lock expires after
   * `ttlMs` if its holder dies. Throws LockTimeoutError when the wait runs out.
   */
  lock(key: string, options: { ttlMs: number; waitMs: number }): Promise<HotLock>;

  /** Counts one hit in the fixed window of `windowMs` that `key` is in; returns the count so far. */
  hit(key: string, windowMs: number): Promise<RateCount>;

  set(key: string, value: string, ttlMs?: number): Promise<void>;
  get(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;

  publish(topic: string, message: string): Promise<void>;
  /** Calls `handler` for every message published on `topic` until the returned function is called. */
  subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface HotLock {
  readonly key: string;
  /** Releases the lock if this holder still has it; a no-op after expiry. */
  release(): Promise<void>;
  /** Extends the lock; false when it had already expired and been lost. */
  extend(ttlMs: number): Promise<boolean>;
}

export interface RateCount {
  count: number;
  /** When the current window ends (ms since epoch). */
  resetAt: number;
}

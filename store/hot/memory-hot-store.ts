import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { LockTimeoutError } from '../../core/errors.js';
import type { HotLock, HotStore, RateCount } from './hot-store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

interface LockState {
  token: string;
  expiresAt: number;
  expiryTimer: TimerHandle;
}

interface Waiter {
  token: string;
  ttlMs: number;
  resolve: (lock: HotLock) => void;
  timer: TimerHandle;
}

/** At most this often (by the clock), a write also removes every expired entry. */
export const SWEEP_EVERY_MS = 10_000;

/**
 * The hot tier in one process. Expiry follows the injected clock. Keys are per message, person and
 * conversation (claims, rate windows, locks), so nothing may stay after its time: an expired entry
 * is dropped when read, and every write sweeps all expired entries at most every SWEEP_EVERY_MS,
 * so a key written once and never read again (a conversation that went quiet) does not stay for
 * the life of the process. Lock queues are dropped when they empty.
 */
export class MemoryHotStore implements HotStore {
  readonly kind = 'memory';
  readonly description = 'in-process hot tier';
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Map<string, LockState>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly topics = new Map<string, Set<(message: string) => void>>();
  private nextSweepAt = 0;

  constructor(private readonly clock: Clock) {}

  /** Entries held, expired ones not yet swept included (tests of the bound). */
  get size(): number {
    return this.entries.size + this.locks.size + this.waiters.size;
  }

  async claim(key: string, ttlMs: number, owner = '1'): Promise<boolean> {
    this.sweep();
    if (this.live(key)) return false;
    this.entries.set(key, { value: owner, expiresAt: this.clock.now() + ttlMs });
    return true;
  }

  async renewClaim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (entry?.value !== owner) return false;
    entry.expiresAt = this.clock.now() + ttlMs;
    return true;
  }

  async lock(key: string, options: { ttlMs: number; waitMs: number }): Promise<HotLock> {
    const token = randomUUID();
    if (!this.locks.has(key) && !this.waiters.get(key)?.length) return this.grant(key, token, options.ttlMs);
    return new Promise<HotLock>((resolve, reject) => {
      const waiter: Waiter = {
        token,
        ttlMs: options.ttlMs,
        resolve,
        timer: this.clock.setTimeout(() => {
          const queue = (this.waiters.get(key) ?? []).filter((w) => w !== waiter);
          if (queue.length > 0) this.waiters.set(key, queue);
          else this.waiters.delete(key);
          reject(new LockTimeoutError(key));
        }, options.waitMs),
      };
      const queue = this.waiters.get(key) ?? [];
      queue.push(waiter);
      this.waiters.set(key, queue);
    });
  }

  private grant(key: string, token: string, ttlMs: number): HotLock {
    const expiryTimer = this.clock.setTimeout(() => this.releaseLock(key, token), ttlMs);
    this.locks.set(key, { token, expiresAt: this.clock.now() + ttlMs, expiryTimer });
    return {
      key,
      release: async () => this.releaseLock(key, token),
      extend: async (ms: number) => {
        const state = this.locks.get(key);
        if (state?.token !== token) return false;
        this.clock.clearTimeout(state.expiryTimer);
        state.expiresAt = this.clock.now() + ms;
        state.expiryTimer = this.clock.setTimeout(() => this.releaseLock(key, token), ms);
        return true;
      },
    };
  }

  /** Frees the lock (on release or expiry) and hands it to the longest waiter. */
  private releaseLock(key: string, token: string): void {
    const state = this.locks.get(key);
    if (state?.token !== token) return;
    this.clock.clearTimeout(state.expiryTimer);
    this.locks.delete(key);
    const queue = this.waiters.get(key);
    const next = queue?.shift();
    if (queue?.length === 0) this.waiters.delete(key);
    if (!next) return;
    this.clock.clearTimeout(next.timer);
    next.resolve(this.grant(key, next.token, next.ttlMs));
  }

  async hit(key: string, windowMs: number): Promise<RateCount> {
    this.sweep();
    const now = this.clock.now();
    const entry = this.live(key);
    if (!entry) {
      const resetAt = now + windowMs;
      this.entries.set(key, { value: '1', expiresAt: resetAt });
      return { count: 1, resetAt };
    }
    entry.value = String(Number(entry.value) + 1);
    return { count: Number(entry.value), resetAt: entry.expiresAt };
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.sweep();
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : this.clock.now() + ttlMs });
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async publish(topic: string, message: string): Promise<void> {
    for (const handler of [...(this.topics.get(topic) ?? [])]) {
      // Delivered asynchronously, as Redis would: a publisher never runs subscriber code inline.
      queueMicrotask(() => handler(message));
    }
  }

  async subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const handlers = this.topics.get(topic) ?? new Set();
    handlers.add(handler);
    this.topics.set(topic, handlers);
    return async () => {
      handlers.delete(handler);
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.topics.clear();
  }

  /** Removes every expired entry, at most once per SWEEP_EVERY_MS (a pass over all keys costs O(n)). */
  private sweep(): void {
    const now = this.clock.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

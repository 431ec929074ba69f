import { sleep, type Clock } from './clock.js';

/**
 * The one retry policy of the service: exponential backoff with jitter, a platform's `retry-after`
 * honoured, and a bound on how long anyone waits in-process. Used by the delivery outbox (which
 * re-queues durably instead of waiting past the bound) and by `retry()` for calls that simply try
 * again (transcription).
 *
 * Hand-written rather than a library (p-retry, async-retry): those sleep on the real timers, so they
 * cannot run on the injected Clock (tests move time instead of sleeping), and they have no notion of
 * "the wait is too long: stop and let the caller re-queue". The arithmetic is a dozen lines.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** Delay before the second attempt; doubles after each failure. */
  baseMs: number;
  /** Largest backoff (before a platform's retry-after is applied). */
  maxBackoffMs: number;
  /** Longest wait anyone does in-process; a longer one is deferred (re-queued) instead. */
  maxWaitMs: number;
  /** 0..1 source of randomness for the jitter (tests pass a fixed one). Default Math.random. */
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseMs: 500, maxBackoffMs: 10_000, maxWaitMs: 30_000 };

export interface RetryPlan {
  /** How long to wait before the next attempt (ms): the backoff, or the platform's retry-after if longer. */
  delayMs: number;
  /** True when `delayMs` is within `maxWaitMs`: waiting in-process is fine; false: re-queue for later. */
  withinBound: boolean;
}

/**
 * The wait after failed attempt number `attempt` (1 for the first). "Equal jitter": half the
 * exponential backoff is fixed and half random, so attempts of many callers spread out while each
 * still waits at least half its backoff. A `retryAfterMs` from the platform is a floor.
 */
export function planRetry(policy: RetryPolicy, attempt: number, retryAfterMs?: number): RetryPlan {
  const exponential = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.maxBackoffMs);
  const jittered = Math.round(exponential / 2 + (policy.random ?? Math.random)() * (exponential / 2));
  const delayMs = Math.max(jittered, retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, retryAfterMs) : 0);
  return { delayMs, withinBound: delayMs <= policy.maxWaitMs };
}

/** What `retry()` needs to know about a failure. */
export interface RetryVerdict {
  retryable: boolean;
  retryAfterMs?: number;
}

export interface RetryOptions {
  clock: Clock;
  policy: RetryPolicy;
  /** Whether a failure is worth another attempt, and how long the other side asked us to wait. */
  classify(error: unknown): RetryVerdict;
  /** Told before each wait (for logs). */
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void;
  /**
   * A wait past `maxWaitMs`: `give-up` (default) throws the last error, so the caller can re-queue;
   * `cap` waits `maxWaitMs` and tries again (a person is waiting and there is nothing to re-queue).
   */
  longWait?: 'give-up' | 'cap';
}

/**
 * Runs `work` until it succeeds, a failure is not retryable, the attempts run out, or the next wait
 * would exceed `maxWaitMs` (unless `longWait: 'cap'`); then the last error is thrown. `work` is given
 * the attempt number.
 */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const verdict = options.classify(error);
      if (!verdict.retryable || attempt >= options.policy.attempts) throw error;
      const plan = planRetry(options.policy, attempt, verdict.retryAfterMs);
      if (!plan.withinBound && options.longWait !== 'cap') throw error;
      const delayMs = Math.min(plan.delayMs, options.policy.maxWaitMs);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(options.clock, delayMs);
    }
  }
}

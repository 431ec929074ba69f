import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { planRetry, retry, type RetryPolicy } from '../../core/retry.js';

const policy = (random: number, over: Partial<RetryPolicy> = {}): RetryPolicy => ({ attempts: 4, baseMs: 100, maxBackoffMs: 1_000, maxWaitMs: 5_000, random: () => random, ...over });

describe('planRetry', () => {
  it('doubles the backoff, keeps at least half of it, and spreads the rest with jitter', () => {
    expect([1, 2, 3, 4, 5].map((a) => planRetry(policy(0), a).delayMs)).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => planRetry(policy(1), a).delayMs)).toEqual([100, 200, 400, 800, 1_000]);
  });

  it("waits at least the platform's retry-after, and says when that is past the bound", () => {
    expect(planRetry(policy(0), 1, 3_000)).toEqual({ delayMs: 3_000, withinBound: true });
    expect(planRetry(policy(0), 1, 100_000)).toEqual({ delayMs: 100_000, withinBound: false });
  });
});

describe('retry', () => {
  it('tries again on the injected clock until the work succeeds', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const running = retry(
      async (attempt) => {
        seen.push(clock.now());
        if (attempt < 3) throw new Error('503');
        return 'ok';
      },
      { clock, policy: policy(1), classify: () => ({ retryable: true }) },
    );
    await settle();
    await clock.advance(1_000);
    await expect(running).resolves.toBe('ok');
    expect(seen).toEqual([0, 100, 300]);
  });

  it('gives up on a failure that is not retryable, after the last attempt, and before a wait past the bound', async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const permanent = retry(async () => { calls++; throw new Error('400'); }, { clock, policy: policy(0), classify: () => ({ retryable: false }) });
    await expect(permanent).rejects.toThrow('400');
    expect(calls).toBe(1);

    calls = 0;
    const exhausted = retry(async () => { calls++; throw new Error('503'); }, { clock, policy: policy(0), classify: () => ({ retryable: true }) });
    exhausted.catch(() => {});
    await settle();
    await clock.advance(10_000);
    await expect(exhausted).rejects.toThrow('503');
    expect(calls).toBe(4);

    calls = 0;
    const tooLong = retry(async () => { calls++; throw new Error('429'); }, { clock, policy: policy(0), classify: () => ({ retryable: true, retryAfterMs: 60_000 }) });
    await expect(tooLong).rejects.toThrow('429');
    expect(calls).toBe(1);
  });
});

describe('retry with longWait: cap', () => {
  it('waits the bound instead of giving up on a long retry-after', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const running = retry(
      async (attempt) => {
        seen.push(clock.now());
        if (attempt === 1) throw new Error('429');
        return 'ok';
      },
      { clock, policy: policy(0), longWait: 'cap', classify: () => ({ retryable: true, retryAfterMs: 3_600_000 }) },
    );
    await settle();
    await clock.advance(5_000);
    await expect(running).resolves.toBe('ok');
    expect(seen).toEqual([0, 5_000]);
  });
});

/** Lets the first attempt fail and its wait be armed before time moves. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

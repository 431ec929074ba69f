import { describe, expect, it } from 'vitest';
import { ManualClock, SystemClock, sleep } from '../../core/clock.js';

describe('ManualClock', () => {
  it('fires timers in due order as time moves, and never early', async () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    const cancelled = clock.setTimeout(() => fired.push('never'), 150);
    clock.clearTimeout(cancelled);
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(101);
    expect(fired).toEqual(['a@1100', 'b@1200']);
    expect(clock.now()).toBe(1_200);
  });

  it('runs timers that timers set, within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 50);
    }, 50);
    await clock.advance(100);
    expect(fired).toEqual([50, 100]);
  });

  it('lets code awaiting sleep() continue', async () => {
    const clock = new ManualClock(0);
    let done = false;
    void sleep(clock, 5_000).then(() => (done = true));
    await clock.advance(4_999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
  });

  it('refuses to go backwards', async () => {
    await expect(new ManualClock(10).set(5)).rejects.toThrow(RangeError);
  });
});

describe('SystemClock', () => {
  it('fires a real timer and can cancel one', async () => {
    const clock = new SystemClock();
    const fired: string[] = [];
    const cancelled = clock.setTimeout(() => fired.push('cancelled'), 5);
    clock.clearTimeout(cancelled);
    await sleep(clock, 20);
    expect(fired).toEqual([]);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
  });
});

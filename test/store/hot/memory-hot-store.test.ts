import { ManualClock } from '../../../core/clock.js';
import { describe, expect, it } from 'vitest';
import { MemoryHotStore, SWEEP_EVERY_MS } from '../../../store/hot/memory-hot-store.js';
import { describeHotStoreContract } from './hot-store.contract.js';

describeHotStoreContract('memory', async () => {
  const clock = new ManualClock();
  const store = new MemoryHotStore(clock);
  return { store, advance: (ms) => clock.advance(ms), close: () => store.close() };
});

describe('the in-process hot tier stays bounded', () => {
  it('keys written once and never read again (10,000 quiet conversations) are gone after their time', async () => {
    const clock = new ManualClock();
    const store = new MemoryHotStore(clock);
    for (let c = 0; c < 10_000; c++) {
      await store.hit(`rate:conversation:c${c}`, 60_000);
      await store.hit(`rate:user:telegram:u${c}`, 60_000);
      await store.claim(`message:m${c}`, 30_000);
    }
    expect(store.size).toBe(30_000);
    clock.advance(60_000 + SWEEP_EVERY_MS);
    // One more conversation speaks: its write sweeps what expired.
    await store.hit('rate:conversation:new', 60_000);
    expect(store.size).toBe(1);
    // Live keys are kept, and still count.
    expect((await store.hit('rate:conversation:new', 60_000)).count).toBe(2);
    await store.close();
  });

  it('under steady traffic the map holds only what is live, not everyone ever seen', async () => {
    const clock = new ManualClock();
    const store = new MemoryHotStore(clock);
    let largest = 0;
    for (let c = 0; c < 20_000; c++) {
      await store.hit(`rate:conversation:c${c}`, 60_000);
      clock.advance(10); // 100 new conversations a second
      largest = Math.max(largest, store.size);
    }
    // About 60 s of keys live (6,000) plus one sweep interval (1,000), never the 20,000 seen.
    expect(largest).toBeLessThanOrEqual(7_100);
    await store.close();
  });

  it('a lock queue is dropped once its waiters are served or gave up', async () => {
    const clock = new ManualClock();
    const store = new MemoryHotStore(clock);
    for (let c = 0; c < 1_000; c++) {
      const first = await store.lock(`conversation:c${c}`, { ttlMs: 10_000, waitMs: 1_000 });
      const second = store.lock(`conversation:c${c}`, { ttlMs: 10_000, waitMs: 1_000 });
      const third = store.lock(`conversation:c${c}`, { ttlMs: 10_000, waitMs: 5 });
      clock.advance(5);
      await expect(third).rejects.toThrow();
      await first.release();
      await (await second).release();
    }
    expect(store.size).toBe(0);
    await store.close();
  });
});

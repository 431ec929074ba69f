import { expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../../core/clock.js';
import { RedisHotStore } from '../../../store/hot/redis-hot-store.js';
import { describeNeeding } from '../../support/needs.js';
import { REDIS_URL, uniqueName } from '../../support/services.js';
import { describeHotStoreContract } from './hot-store.contract.js';

describeNeeding('redis')('Redis', () => {
  describeHotStoreContract('redis', async () => {
    const store = await RedisHotStore.connect({ url: REDIS_URL, prefix: `${uniqueName('t')}:`, clock: new SystemClock() });
    return {
      store,
      advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      close: () => store.close(),
    };
  });
});

describeNeeding('redis')('Redis locks leave nothing behind', () => {
  it('a lock taken and released keeps no timer (no 30 s wait timer per turn)', async () => {
    const clock = new ManualClock();
    const store = await RedisHotStore.connect({ url: REDIS_URL, prefix: `${uniqueName('t')}:`, clock });
    try {
      for (let turn = 0; turn < 50; turn++) {
        const lock = await store.lock(`conversation:c${turn % 5}`, { ttlMs: 10_000, waitMs: 30_000 });
        await lock.release();
      }
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      await store.close();
    }
  });
});

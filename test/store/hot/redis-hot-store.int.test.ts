import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../../core/clock.js';
import { RedisHotStore } from '../../../store/hot/redis-hot-store.js';
import { describeNeeding } from '../../support/needs.js';
import { startPrivateRedis } from '../../support/private-servers.js';
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

describe('Redis scripts after the server lost its script cache', () => {
  it('locks release and extend, and rate counters count, when Redis answers NOSCRIPT (as after a restart)', async () => {
    const server = await startPrivateRedis();
    const store = await RedisHotStore.connect({ url: server.url, prefix: 'scripts:', clock: new SystemClock() });
    const admin = new Redis(server.url);
    try {
      const first = await store.lock('conversation:c1', { ttlMs: 10_000, waitMs: 1_000 });
      await first.release();
      expect((await store.hit('rate:a', 60_000)).count).toBe(1);
      await admin.script('FLUSH');
      const second = await store.lock('conversation:c1', { ttlMs: 10_000, waitMs: 1_000 });
      expect(await second.extend(20_000)).toBe(true);
      expect(await admin.pttl('scripts:conversation:c1')).toBeGreaterThan(10_000);
      await second.release();
      expect(await admin.exists('scripts:conversation:c1')).toBe(0);
      expect((await store.hit('rate:a', 60_000)).count).toBe(2);
      // Sent as EVALSHA once the scripts are known again: the script's text is not sent per call.
      const before = await commandCalls(admin, 'evalsha');
      await store.hit('rate:a', 60_000);
      expect(await commandCalls(admin, 'evalsha')).toBe(before + 1);
    } finally {
      admin.disconnect();
      await store.close();
      await server.destroy();
    }
  });
});

async function commandCalls(redis: Redis, command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { RedisHotStore } from '../../../store/hot/redis-hot-store.js';
import { startPrivateRedis } from '../../support/private-servers.js';

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

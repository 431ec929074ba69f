import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { StoreError } from '../../../core/errors.js';
import { RedisHotStore } from '../../../store/hot/redis-hot-store.js';
import { startPrivateRedis, type PrivateServer } from '../../support/private-servers.js';

/**
 * Finding 6 of issue 9, at the store layer: Redis going away gave MaxRetriesPerRequestError (500).
 * A redis-server of the test's own is killed, restarted and hung: every command must fail fast with
 * StoreError (503), and the same RedisHotStore (subscriptions included) must work again afterwards.
 */
const clock = new SystemClock();
let server: PrivateServer;
let hot: RedisHotStore;

beforeAll(async () => {
  server = await startPrivateRedis();
  hot = await RedisHotStore.connect({ url: server.url, clock, prefix: 'faults:', commandTimeoutMs: 500 });
});

afterAll(async () => {
  await hot?.close();
  await server?.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function failure(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

async function waitForRecovery(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await hot.ping();
      return;
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      if (Date.now() > deadline) throw new Error('Redis did not come back');
      await sleep(100);
    }
  }
}

describe('Redis going away', () => {
  it('a killed Redis fails every command fast with StoreError, then the same store recovers with its subscriptions', async () => {
    const received: string[] = [];
    await hot.subscribe('news', (message) => received.push(message));
    await hot.publish('news', 'before');
    await expect.poll(() => received).toEqual(['before']);

    // Load running while the server dies.
    let running = true;
    const others: unknown[] = [];
    let storeErrors = 0;
    const loops = Array.from({ length: 4 }, async (_, w) => {
      let n = 0;
      while (running) {
        try {
          await hot.set(`k:${w}:${n++}`, 'v', 10_000);
          await hot.claim(`c:${w}:${n}`, 10_000);
          await hot.hit(`r:${w}`, 60_000);
        } catch (error) {
          if (error instanceof StoreError && error.store === 'hot' && error.status === 503) storeErrors++;
          else others.push(error);
          await sleep(20);
        }
      }
    });
    await sleep(200);
    await server.kill();
    await sleep(500);

    for (const attempt of [hot.get('x'), hot.set('x', 'y'), hot.claim('claim', 1_000), hot.hit('rate', 1_000), hot.lock('lock', { ttlMs: 1_000, waitMs: 5_000 }), hot.publish('news', 'lost')]) {
      const { error, ms } = await failure(attempt);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).not.toMatch(/redis|127\.0\.0\.1|ECONN/i);
      expect(ms).toBeLessThan(1_000);
    }

    await server.start();
    await waitForRecovery();
    running = false;
    await Promise.all(loops);
    expect(others).toEqual([]);
    expect(storeErrors).toBeGreaterThan(0);

    // The subscription was renewed on the new connection (ioredis autoResubscribe).
    await expect
      .poll(async () => {
        await hot.publish('news', 'after');
        return received.includes('after');
      }, { timeout: 10_000, interval: 200 })
      .toBe(true);
    await hot.set('x', 'y');
    expect(await hot.get('x')).toBe('y');
  });

  it('a hung Redis fails each command within its command timeout, then recovers', async () => {
    await waitForRecovery();
    server.pause();
    try {
      const { error, ms } = await failure(hot.get('x'));
      expect(error).toBeInstanceOf(StoreError);
      expect(ms).toBeLessThan(2_000);
    } finally {
      server.resume();
    }
    await waitForRecovery();
    expect(await hot.get('x')).toBe('y');
  });

  it('a SIGTERM-ed Redis (clean stop) gives StoreError too, and a restart heals it', async () => {
    await server.stop();
    const { error } = await failure(hot.get('x'));
    expect(error).toBeInstanceOf(StoreError);
    await server.start();
    await waitForRecovery();
    // The data is gone (no persistence in this test server), the store works.
    await hot.set('x', 'z');
    expect(await hot.get('x')).toBe('z');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockTimeoutError } from '../../../core/errors.js';
import type { HotStore } from '../../../store/hot/hot-store.js';

export interface HotStoreHarness {
  store: HotStore;
  /** Moves time forward: the injected clock for memory, a real wait for Redis (its TTLs are server time). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The behaviour every HotStore implementation must have. */
export function describeHotStoreContract(name: string, open: () => Promise<HotStoreHarness>): void {
  describe(`HotStore contract: ${name}`, () => {
    let h: HotStoreHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('claims a key once until it expires', async () => {
      expect(await h.store.claim('dedupe:a', 200)).toBe(true);
      expect(await h.store.claim('dedupe:a', 200)).toBe(false);
      expect(await h.store.claim('dedupe:b', 200)).toBe(true);
      await h.advance(250);
      expect(await h.store.claim('dedupe:a', 200)).toBe(true);
    });

    it('keeps the owner of a claim, and lets only that owner renew it', async () => {
      expect(await h.store.claim('inbound:c:m1', 200, 'instance-a')).toBe(true);
      expect(await h.store.get('inbound:c:m1')).toBe('instance-a');
      expect(await h.store.renewClaim('inbound:c:m1', 'instance-b', 1_000)).toBe(false);
      expect(await h.store.renewClaim('inbound:c:m1', 'instance-a', 1_000)).toBe(true);
      await h.advance(250);
      expect(await h.store.claim('inbound:c:m1', 200, 'instance-b')).toBe(false); // renewed past its first TTL
      expect(await h.store.renewClaim('inbound:c:gone', 'instance-a', 1_000)).toBe(false);
    });

    it('stores short-lived keys that expire', async () => {
      await h.store.set('k', 'v', 200);
      await h.store.set('forever', 'x');
      expect(await h.store.get('k')).toBe('v');
      await h.advance(250);
      expect(await h.store.get('k')).toBeNull();
      expect(await h.store.get('forever')).toBe('x');
      await h.store.delete('forever');
      expect(await h.store.get('forever')).toBeNull();
    });

    it('counts hits in a fixed window and starts again after it', async () => {
      const first = await h.store.hit('rate:u1', 300);
      expect(first.count).toBe(1);
      expect((await h.store.hit('rate:u1', 300)).count).toBe(2);
      expect((await h.store.hit('rate:u1', 300)).count).toBe(3);
      expect((await h.store.hit('rate:u2', 300)).count).toBe(1);
      await h.advance(350);
      expect((await h.store.hit('rate:u1', 300)).count).toBe(1);
    });

    it('gives a lock to one holder at a time, to waiters in arrival order', async () => {
      const order: string[] = [];
      const first = await h.store.lock('conv:1', { ttlMs: 5_000, waitMs: 5_000 });
      const waiters = ['a', 'b', 'c'].map((id) =>
        h.store.lock('conv:1', { ttlMs: 5_000, waitMs: 5_000 }).then(async (lock) => {
          order.push(id);
          await lock.release();
        }),
      );
      // Let the waiters queue up before the holder lets go.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(order).toEqual([]);
      await first.release();
      await Promise.all(waiters);
      expect(order).toEqual(['a', 'b', 'c']);
    });

    it('does not make locks on different keys wait for each other', async () => {
      const a = await h.store.lock('conv:a', { ttlMs: 5_000, waitMs: 100 });
      const b = await h.store.lock('conv:b', { ttlMs: 5_000, waitMs: 100 });
      await a.release();
      await b.release();
    });

    it('times out a waiter that cannot get the lock', async () => {
      const held = await h.store.lock('conv:2', { ttlMs: 10_000, waitMs: 100 });
      const waiting = h.store.lock('conv:2', { ttlMs: 10_000, waitMs: 100 });
      const outcome = waiting.then(
        () => 'acquired',
        (error: unknown) => error,
      );
      await h.advance(150);
      expect(await outcome).toBeInstanceOf(LockTimeoutError);
      await held.release();
      const again = await h.store.lock('conv:2', { ttlMs: 1_000, waitMs: 100 });
      await again.release();
    });

    it('lets a lock expire when its holder never releases it, and the old holder cannot release the new one', async () => {
      const stale = await h.store.lock('conv:3', { ttlMs: 200, waitMs: 100 });
      await h.advance(250);
      const fresh = await h.store.lock('conv:3', { ttlMs: 5_000, waitMs: 100 });
      await stale.release();
      expect(await stale.extend(1_000)).toBe(false);
      const blocked = h.store.lock('conv:3', { ttlMs: 1_000, waitMs: 100 }).then(
        () => 'acquired',
        (error: unknown) => error,
      );
      await h.advance(150);
      expect(await blocked).toBeInstanceOf(LockTimeoutError);
      expect(await fresh.extend(5_000)).toBe(true);
      await fresh.release();
    });

    it('publishes to subscribers of a topic until they unsubscribe', async () => {
      const got: string[] = [];
      const other: string[] = [];
      const unsubscribe = await h.store.subscribe('topic:a', (m) => got.push(m));
      await h.store.subscribe('topic:b', (m) => other.push(m));
      await h.store.publish('topic:a', 'one');
      await h.store.publish('topic:a', 'two');
      await waitFor(() => got.length === 2);
      expect(got).toEqual(['one', 'two']);
      expect(other).toEqual([]);
      await unsubscribe();
      await h.store.publish('topic:a', 'three');
      await h.store.publish('topic:b', 'marker');
      await waitFor(() => other.length === 1);
      expect(got).toEqual(['one', 'two']);
    });

    it('answers ping', async () => {
      await expect(h.store.ping()).resolves.toBeUndefined();
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

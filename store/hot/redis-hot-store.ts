import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Clock, sleep, type TimerHandle } from '../../core/clock.js';
import { LockTimeoutError } from '../../core/errors.js';
import { redisConnectionOptions, toHotStoreError, withStoreErrors } from './redis-failures.js';
import type { HotLock, HotStore, RateCount } from './hot-store.js';

// Compare-and-delete / compare-and-expire: only the holder's token may release or extend a lock.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const HIT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`;

/**
 * The scripts as ioredis commands (`defineCommand`): sent as EVALSHA, 40 bytes instead of the script's
 * text, and Redis need not hash the text on every call. ioredis falls back to EVAL by itself when the
 * server answers NOSCRIPT (a restarted Redis has an empty script cache).
 */
interface ScriptedRedis extends Redis {
  sbRelease(key: string, token: string): Promise<number>;
  sbExtend(key: string, token: string, ttlMs: number): Promise<number>;
  sbHit(key: string, windowMs: number): Promise<[number, number]>;
}

function defineScripts(redis: Redis): ScriptedRedis {
  redis.defineCommand('sbRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('sbExtend', { numberOfKeys: 1, lua: EXTEND });
  redis.defineCommand('sbHit', { numberOfKeys: 1, lua: HIT });
  return redis as ScriptedRedis;
}

export interface RedisHotStoreOptions {
  url: string;
  /** Prepended to every key and topic, so several deployments (or test runs) can share a server. */
  prefix?: string;
  clock: Clock;
  /** Longest wait for one command before it fails with StoreError. Default 2 s. */
  commandTimeoutMs?: number;
}

/**
 * The hot tier on Redis. Locks are SET NX PX with a random token; waiters in this process queue in
 * arrival order and only the head polls Redis, so messages of one conversation keep their order.
 */
export class RedisHotStore implements HotStore {
  readonly kind = 'redis';
  readonly description: string;
  private readonly redis: ScriptedRedis;
  private subscriber: Redis | undefined;
  private subscriberReady: Promise<Redis> | undefined;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly localQueues = new Map<string, Promise<void>>();
  private readonly prefix: string;
  private readonly clock: Clock;

  private constructor(redis: Redis, options: RedisHotStoreOptions) {
    this.redis = withStoreErrors(defineScripts(redis));
    this.prefix = options.prefix ?? 'sb:';
    this.clock = options.clock;
    const u = new URL(options.url);
    this.description = `Redis at ${u.hostname}:${u.port || '6379'}`;
  }

  /** Connects and checks the server answers; fails fast when it does not. */
  static async connect(options: RedisHotStoreOptions): Promise<RedisHotStore> {
    // Loaded here, not at the top: the embedded default has no Redis and skips ioredis (~120 ms of imports).
    const { Redis } = await import('ioredis');
    // Auto-pipelining: the commands that turns issue in the same tick (claims, rate hits, locks of many
    // conversations under load) go out in one write and come back in one read. bench:telegram, same
    // machine, alternating runs: Redis's CPU per turn 0.13 → 0.08 ms, the service's within the noise.
    // The subscriber connection (duplicate below) has it off: a subscribed connection runs no pipelines.
    const redis = new Redis(options.url, { ...redisConnectionOptions({ commandTimeoutMs: options.commandTimeoutMs }), enableAutoPipelining: true });
    // Reconnects on its own; while it is away, commands fail fast with StoreError (503).
    let lastError: unknown;
    redis.on('error', (error: unknown) => (lastError = error));
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      // connect() says only "Connection is closed."; the error event said why (ECONNREFUSED, auth…).
      throw toHotStoreError(lastError ?? error);
    }
    const store = new RedisHotStore(redis, options);
    await store.ping();
    return store;
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  async claim(key: string, ttlMs: number, owner = '1'): Promise<boolean> {
    return (await this.redis.set(this.k(key), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async renewClaim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    // The lock's compare-and-expire: only the claim's owner may extend it.
    return (await this.redis.sbExtend(this.k(key), owner, ttlMs)) === 1;
  }

  async lock(key: string, options: { ttlMs: number; waitMs: number }): Promise<HotLock> {
    const deadline = this.clock.now() + options.waitMs;
    let leaveQueue!: () => void;
    const mine = new Promise<void>((resolve) => (leaveQueue = resolve));
    const ahead = this.localQueues.get(key) ?? Promise.resolve();
    const tail = ahead.then(() => mine);
    this.localQueues.set(key, tail);
    const done = () => {
      leaveQueue();
      if (this.localQueues.get(key) === tail) this.localQueues.delete(key);
    };
    try {
      // The wait's timer is cleared as soon as our turn comes: left to run, every lock would keep a
      // timer and its promise alive for waitMs (30 s per turn: thousands under load, bench:memory).
      let waitTimer: TimerHandle | undefined;
      const turn = await Promise.race([
        ahead.then(() => true),
        new Promise<boolean>((resolve) => (waitTimer = this.clock.setTimeout(() => resolve(false), options.waitMs))),
      ]).finally(() => waitTimer && this.clock.clearTimeout(waitTimer));
      if (!turn) throw new LockTimeoutError(key);
      const token = randomUUID();
      let pause = 10;
      while ((await this.redis.set(this.k(key), token, 'PX', options.ttlMs, 'NX')) !== 'OK') {
        if (this.clock.now() >= deadline) throw new LockTimeoutError(key);
        await sleep(this.clock, pause);
        pause = Math.min(pause * 2, 100);
      }
      let released = false;
      // A holder that dies without releasing loses the lock at its TTL in Redis; let the local queue
      // move on at the same moment.
      let expiry = this.clock.setTimeout(done, options.ttlMs);
      return {
        key,
        release: async () => {
          if (released) return;
          released = true;
          this.clock.clearTimeout(expiry);
          try {
            await this.redis.sbRelease(this.k(key), token);
          } finally {
            done();
          }
        },
        extend: async (ms: number) => {
          const extended = (await this.redis.sbExtend(this.k(key), token, ms)) === 1;
          if (extended && !released) {
            this.clock.clearTimeout(expiry);
            expiry = this.clock.setTimeout(done, ms);
          }
          return extended;
        },
      };
    } catch (error) {
      done();
      throw error;
    }
  }

  async hit(key: string, windowMs: number): Promise<RateCount> {
    const [count, ttl] = await this.redis.sbHit(this.k(key), windowMs);
    return { count, resetAt: this.clock.now() + Math.max(ttl, 0) };
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(this.k(key), value);
    else await this.redis.set(this.k(key), value, 'PX', ttlMs);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.k(key));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async publish(topic: string, message: string): Promise<void> {
    await this.redis.publish(this.k(topic), message);
  }

  async subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const subscriber = await this.subscriberConnection();
    const channel = this.k(topic);
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
      try {
        await subscriber.subscribe(channel);
      } catch (error) {
        // Not subscribed: the next subscribe to this topic must try again.
        if (this.handlers.get(channel)?.size === 0) this.handlers.delete(channel);
        throw error;
      }
    }
    handlers.add(handler);
    return async () => {
      const set = this.handlers.get(channel);
      if (!set) return;
      set.delete(handler);
      if (set.size === 0) {
        this.handlers.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => {});
      }
    };
  }

  private async subscriberConnection(): Promise<Redis> {
    this.subscriberReady ??= (async () => {
      // Its own connection (a subscribed connection runs no other commands), with the same settings:
      // it reconnects by itself and renews its subscriptions (autoResubscribe).
      const subscriber = this.redis.duplicate({ enableAutoPipelining: false });
      subscriber.on('error', () => {});
      subscriber.on('message', (channel: string, message: string) => {
        for (const handler of this.handlers.get(channel) ?? []) handler(message);
      });
      this.subscriber = subscriber;
      // Connect explicitly: without an offline queue, a first command on a lazy connection fails.
      await subscriber.connect();
      return withStoreErrors(subscriber);
    })().catch((error: unknown) => {
      this.subscriber?.disconnect();
      this.subscriber = undefined;
      this.subscriberReady = undefined;
      throw toHotStoreError(error);
    });
    return this.subscriberReady;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.handlers.clear();
    // quit() fails while disconnected; disconnect() also ends the reconnect attempts (and their timers).
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

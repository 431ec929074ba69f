import type { Redis, RedisOptions } from 'ioredis';
import { StoreError } from '../../core/index.js';

/**
 * ioredis settings for a hot tier that fails fast and heals by itself:
 * - no offline queue: a command issued while disconnected fails at once ("Stream isn't writeable")
 *   instead of waiting for a reconnect that may never come;
 * - a command in flight when the connection drops is retried once on the new connection, then fails;
 * - a server that accepts but does not answer (hung, SIGSTOP) fails each command after `commandTimeout`;
 * - reconnects for ever, backing off to one attempt a second; subscriptions are renewed on reconnect
 *   (ioredis's autoResubscribe, on by default).
 */
export function redisConnectionOptions(overrides: { commandTimeoutMs?: number; connectTimeoutMs?: number } = {}): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: overrides.commandTimeoutMs ?? 2_000,
    connectTimeout: overrides.connectTimeoutMs ?? 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    autoResubscribe: true,
  };
}

/** Redis replies that mean "not now" (loading a dump, a script running too long), not "wrong command". */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/;

/** ioredis's own errors when there is no usable connection, or no answer in time. */
const UNAVAILABLE_MESSAGES = [
  /Stream isn't writeable/i,
  /Connection is closed/i,
  /Command timed out/i,
  /Reached the max retries per request limit/i,
  /connect ETIMEDOUT/i,
  /None of the sentinels are available/i,
];

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when `error` means Redis cannot be used right now (gone, restarting, not answering). */
export function isRedisUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || !error || typeof error !== 'object') return false;
  if (error instanceof StoreError) return true;
  const { name, code, message, cause } = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (name === 'ReplyError') return UNAVAILABLE_REPLIES.test(text);
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(text))) return true;
  return isRedisUnavailable(cause, depth + 1);
}

export const HOT_UNAVAILABLE_MESSAGE = 'The service cannot reach its message store right now. Try again in a few seconds.';

/** A connection-class failure of Redis as a StoreError (503); any other error unchanged. */
export function toHotStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  return isRedisUnavailable(error) ? new StoreError(HOT_UNAVAILABLE_MESSAGE, { cause: error, store: 'hot' }) : error;
}

/**
 * The same client, whose commands reject with StoreError when Redis is unavailable. A proxy rather
 * than a try/catch in every method of the hot store: every command (those added later too) is covered.
 */
export function withStoreErrors<R extends Redis>(redis: R): R {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(toHotStoreError(error))) : result;
      };
    },
  });
}

import { StoreError } from '../core/index.js';
import { isPostgresUnavailable, toDurableStoreError } from './durable/index.js';
import { isRedisUnavailable, toHotStoreError } from './hot/index.js';

/**
 * True when `error` (or its cause) means a store cannot be used right now: a StoreError, or a raw
 * connection-class failure of pg or ioredis (from code that uses a driver directly, like the LangGraph
 * checkpointer on `db.pool`). Such an error is temporary: answer 503 / retry later, never apologise for it.
 */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreError || isPostgresUnavailable(error) || isRedisUnavailable(error);
}

/** A store failure as StoreError; any other error unchanged, so `throw toStoreError(error)` is always right. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  if (isPostgresUnavailable(error)) return toDurableStoreError(error);
  if (isRedisUnavailable(error)) return toHotStoreError(error);
  return error;
}

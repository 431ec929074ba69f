export type { HotStore, HotLock, RateCount } from './hot-store.js';
export { MemoryHotStore } from './memory-hot-store.js';
export { RedisHotStore, type RedisHotStoreOptions } from './redis-hot-store.js';
export { isRedisUnavailable, toHotStoreError, redisConnectionOptions } from './redis-failures.js';

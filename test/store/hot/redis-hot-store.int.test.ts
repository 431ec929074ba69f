import { describe } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { RedisHotStore } from '../../../store/hot/redis-hot-store.js';
import { REDIS_URL, serviceMissing, uniqueName } from '../../support/services.js';
import { describeHotStoreContract } from './hot-store.contract.js';

describe.skipIf(serviceMissing('REDIS_URL'))('Redis', () => {
  describeHotStoreContract('redis', async () => {
    const store = await RedisHotStore.connect({ url: REDIS_URL!, prefix: `${uniqueName('t')}:`, clock: new SystemClock() });
    return {
      store,
      advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      close: () => store.close(),
    };
  });
});

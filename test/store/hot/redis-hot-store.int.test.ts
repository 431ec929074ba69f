import { SystemClock } from '../../../core/clock.js';
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

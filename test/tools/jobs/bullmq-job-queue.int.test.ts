import { SystemClock } from '../../../core/clock.js';
import { RedisHotStore } from '../../../store/index.js';
import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase, REDIS_URL, uniqueName } from '../../support/services.js';
import { deleteRedisKeys, describeJobQueueContract } from './job-queue.contract.js';

describeNeeding('postgres', 'redis')('BullMQ job queue', () => {
  describeJobQueueContract('BullMQ on Redis with records in PostgreSQL', async () => {
    const t = await postgresTestDatabase();
    const prefix = uniqueName('sbjobs');
    const hot = await RedisHotStore.connect({ url: REDIS_URL, clock: new SystemClock(), prefix: `${prefix}:` });
    return {
      db: t.db,
      hot,
      redisUrl: REDIS_URL,
      bullPrefix: `${prefix}-bull`,
      async close() {
        await hot.close();
        await t.close();
        await deleteRedisKeys(REDIS_URL, prefix);
      },
    };
  });
});

import { SystemClock } from '../../../core/clock.js';
import { MemoryHotStore } from '../../../store/index.js';
import { embeddedTestDatabase } from '../../support/services.js';
import { describeJobQueueContract } from './job-queue.contract.js';

describeJobQueueContract('in-process runner on the embedded database', async () => {
  const t = await embeddedTestDatabase();
  const hot = new MemoryHotStore(new SystemClock());
  return {
    db: t.db,
    hot,
    async close() {
      await hot.close();
      await t.close();
    },
  };
});

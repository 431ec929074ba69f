import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { JobRepo, RedisHotStore } from '../../../store/index.js';
import { BullmqDispatcher, createJobQueue, type JobEvent } from '../../../tools/jobs/index.js';
import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase, REDIS_URL, uniqueName, type TestDatabase } from '../../support/services.js';
import { deadPid, deleteRedisKeys, describeJobQueueContract, waitFor } from './job-queue.contract.js';

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

  describe('a job BullMQ hands out again after its worker died (a stall)', () => {
    let t: TestDatabase;
    let hot: RedisHotStore;
    const prefix = uniqueName('sbstall');
    beforeAll(async () => {
      t = await postgresTestDatabase();
      hot = await RedisHotStore.connect({ url: REDIS_URL, clock: new SystemClock(), prefix: `${prefix}:` });
    });
    afterAll(async () => {
      await hot?.close();
      await t?.close();
      await deleteRedisKeys(REDIS_URL, prefix);
    });

    it('is marked interrupted by the worker that receives it, not run again', async () => {
      let runs = 0;
      const repo = new JobRepo(t.db, new SystemClock());
      const worker = createJobQueue({ jobs: repo, hot, clock: new SystemClock(), logger: silentLogger(), redisUrl: REDIS_URL, bullPrefix: `${prefix}-bull`, handlers: [{ kind: 'deploy', run: async () => ++runs }] });
      const events: JobEvent[] = [];
      worker.onEvent((e) => events.push(e));
      await worker.start();
      try {
        // Running on a process of this machine that has since died; the worker above started before, so only
        // the delivery can tell it.
        const r = await repo.create({ kind: 'deploy', params: {}, requestedBy: 'alice', idempotencyKey: 'stall-1' });
        if (!('job' in r)) throw new Error('refused');
        await repo.claim(r.job.id, `${os.hostname()}:${deadPid()}:1:gone`, 60_000);
        const bull = new BullmqDispatcher({ redisUrl: REDIS_URL, logger: silentLogger(), prefix: `${prefix}-bull` });
        await bull.dispatch(r.job.id); // what BullMQ's stall check does: the job id goes back to wait
        await bull.close();
        const ended = await waitFor(async () => {
          const job = await repo.get(r.job.id);
          return job?.status === 'interrupted' ? job : undefined;
        }, 'the stalled job to be marked interrupted');
        expect(ended.error).toMatchObject({ code: 'interrupted' });
        await waitFor(() => events.some((e) => e.type === 'job.interrupted' && e.job.id === r.job.id), 'the interrupted event');
        expect(runs).toBe(0);
      } finally {
        await worker.stop();
      }
    });
  });
});

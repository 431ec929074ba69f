import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { JobRepo, MemoryHotStore } from '../../../store/index.js';
import { createJobQueue, type JobEvent } from '../../../tools/jobs/index.js';
import { embeddedTestDatabase, type TestDatabase } from '../../support/services.js';
import { describeJobQueueContract, waitFor } from './job-queue.contract.js';

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

describe('in-process runner as the embedded service runs it (the only process on its database)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await embeddedTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('interrupts every job left running at start, whatever machine name its worker recorded', async () => {
    const repo = new JobRepo(t.db, new SystemClock());
    const r = await repo.create({ kind: 'deploy', params: {}, requestedBy: 'alice', idempotencyKey: 'sole-1', lockKey: 'deploy:web:production' });
    if (!('job' in r)) throw new Error('refused');
    // A container gets a new host name when it is recreated: the old one's jobs name a machine that is gone.
    await repo.claim(r.job.id, 'old-container-3f2a:1:1:abcd', 60_000);
    const hot = new MemoryHotStore(new SystemClock());
    let runs = 0;
    const q = createJobQueue({ jobs: repo, hot, clock: new SystemClock(), logger: silentLogger(), soleProcess: true, handlers: [{ kind: 'deploy', run: async () => ++runs }] });
    const events: JobEvent[] = [];
    q.onEvent((e) => events.push(e));
    await q.start();
    try {
      expect(await q.get(r.job.id)).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' } });
      await waitFor(() => events.some((e) => e.type === 'job.interrupted' && e.job.id === r.job.id), 'the interrupted event');
      expect(await q.lockHolder('deploy:web:production')).toBeUndefined();
      expect(runs).toBe(0);
    } finally {
      await q.stop();
      await hot.close();
    }
  });
});

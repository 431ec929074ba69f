/**
 * A BullMQ worker process for tests that kill one mid-job: the jobs runtime as `switchboard worker` runs it,
 * with a `deploy` handler that records each run in MARKER_FILE (so a second run would show) and then waits.
 * Environment: DATABASE_URL (the test's own database), REDIS_URL, HOT_PREFIX, BULL_PREFIX, MARKER_FILE.
 */
import { appendFileSync } from 'node:fs';
import { SystemClock } from '../../../../core/clock.js';
import { silentLogger } from '../../../../core/logger.js';
import { JobRepo, openPostgres, RedisHotStore } from '../../../../store/index.js';
import { createJobQueue } from '../../../../tools/jobs/index.js';

const env = process.env as Record<string, string>;
const clock = new SystemClock();
const db = await openPostgres({ url: env.DATABASE_URL!, poolSize: 3 });
const hot = await RedisHotStore.connect({ url: env.REDIS_URL!, clock, prefix: env.HOT_PREFIX! });
const queue = createJobQueue({
  jobs: new JobRepo(db, clock),
  hot,
  clock,
  logger: silentLogger(),
  redisUrl: env.REDIS_URL!,
  bullPrefix: env.BULL_PREFIX!,
  leaseMs: 10_000,
  handlers: [
    {
      kind: 'deploy',
      async run(_params, ctx) {
        await ctx.step('switch');
        appendFileSync(env.MARKER_FILE!, `${ctx.jobId} ${process.pid}\n`);
        process.stdout.write(`running ${ctx.jobId}\n`);
        await new Promise<never>((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      },
    },
  ],
});
await queue.start();
process.stdout.write(`ready ${process.pid}\n`);

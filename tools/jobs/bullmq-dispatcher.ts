import type { Queue, Worker } from 'bullmq';
import type { Logger } from '../../core/index.js';
import type { JobDispatcher } from './job-runner.js';

export interface BullmqDispatcherOptions {
  redisUrl: string;
  logger: Logger;
  /** Namespaces BullMQ's keys, so deployments (or test runs) can share a Redis. Default `sb-bull`. */
  prefix?: string;
  queueName?: string;
  /** Jobs one worker process runs at once. Default 2. */
  concurrency?: number;
  /** BullMQ's own lock on an active job and its stall check; the runner's lease in PostgreSQL is what decides. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/**
 * With REDIS_URL, jobs travel through BullMQ, so workers can run on any machine (`switchboard worker`).
 * BullMQ carries only the job id: the record, its lock and its outcome stay in PostgreSQL, and the runner's
 * conditional claim is what makes a stalled job that BullMQ hands out again run no second time.
 */
export class BullmqDispatcher implements JobDispatcher {
  readonly description: string;
  private readonly queue: Promise<Queue>;
  private worker: Worker | undefined;

  constructor(private readonly options: BullmqDispatcherOptions) {
    const u = new URL(options.redisUrl);
    this.description = `BullMQ jobs on Redis at ${u.hostname}:${u.port || '6379'}`;
    // bullmq (with ioredis, msgpackr, cron-parser, luxon: about 250 ms of imports) is loaded only when a
    // dispatcher is made, so the embedded default, which has no Redis, never loads it.
    this.queue = import('bullmq').then(({ Queue }) => {
      const queue = new Queue(options.queueName ?? 'switchboard-jobs', {
        connection: { url: options.redisUrl },
        prefix: options.prefix ?? 'sb-bull',
      });
      queue.on('error', (error) => options.logger.warn({ err: error }, 'BullMQ queue error'));
      return queue;
    });
    // A failed load is reported by the first call that needs the queue, not as an unhandled rejection.
    this.queue.catch(() => {});
  }

  async dispatch(jobId: string): Promise<void> {
    // The job id is BullMQ's id too: adding it again while it waits or runs is a no-op. One attempt only:
    // a failure is an outcome recorded by the runner, never a reason for BullMQ to run it again.
    await (await this.queue).add('job', { jobId }, { jobId, attempts: 1, removeOnComplete: true, removeOnFail: true });
  }

  async start(run: (jobId: string) => Promise<void>): Promise<void> {
    const { options } = this;
    const { Worker } = await import('bullmq');
    this.worker = new Worker(
      options.queueName ?? 'switchboard-jobs',
      async (job) => {
        await run((job.data as { jobId: string }).jobId);
      },
      {
        connection: { url: options.redisUrl, maxRetriesPerRequest: null },
        prefix: options.prefix ?? 'sb-bull',
        concurrency: options.concurrency ?? 2,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        // A stalled job goes back to wait once, so a live worker picks it up and marks it interrupted.
        maxStalledCount: 1,
      },
    );
    this.worker.on('error', (error) => options.logger.warn({ err: error }, 'BullMQ worker error'));
    await this.worker.waitUntilReady();
  }

  async pause(): Promise<void> {
    await this.worker?.pause(true);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
    await (await this.queue).close();
  }
}

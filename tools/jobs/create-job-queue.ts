import type { Clock, Logger } from '../../core/index.js';
import type { HotStore, JobRepo } from '../../store/index.js';
import { BullmqDispatcher } from './bullmq-dispatcher.js';
import { InProcessDispatcher } from './in-process-dispatcher.js';
import { JobRunner, type JobRunnerOptions } from './job-runner.js';
import type { JobQueue } from './job-types.js';

export interface CreateJobQueueOptions extends Omit<JobRunnerOptions, 'dispatcher'> {
  /** REDIS_URL: BullMQ, workers anywhere. Unset: in this process. */
  redisUrl?: string;
  /** BullMQ key prefix (tests give each run its own). */
  bullPrefix?: string;
  concurrency?: number;
}

/**
 * The job queue the config asks for.
 *
 * @example
 * const queue = createJobQueue({ redisUrl: config.redisUrl, jobs: new JobRepo(db, clock), hot, clock, logger });
 * queue.register(buildHandler);
 * await queue.start();
 */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue & { readonly workerId: string } {
  const dispatcher = options.redisUrl
    ? new BullmqDispatcher({
        redisUrl: options.redisUrl,
        logger: options.logger,
        ...(options.bullPrefix ? { prefix: options.bullPrefix } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        // BullMQ's stall check only needs to be about as quick as the runner's lease.
        ...(options.leaseMs ? { lockDurationMs: Math.max(options.leaseMs, 1_000), stalledIntervalMs: Math.max(options.leaseMs, 1_000) } : {}),
      })
    : new InProcessDispatcher(options.concurrency ?? 2);
  return new JobRunner({ ...options, dispatcher });
}


export { createJobQueue, type CreateJobQueueOptions } from './create-job-queue.js';
export type {
  JobQueue,
  JobHandler,
  JobContext,
  JobKind,
  JobEvent,
  JobEventType,
  EnqueueOptions,
  EnqueueResult,
  JobListFilter,
  JobRecord,
  JobStatus,
  JobStep,
  JobError,
  LockHolder,
} from './job-types.js';
export { JobNotFoundError, JobAbortedError, type JobAbortReason } from './job-errors.js';
export { JobRunner, isGoneLocalWorker, type JobDispatcher, type JobRunnerOptions } from './job-runner.js';
export { InProcessDispatcher } from './in-process-dispatcher.js';
export { BullmqDispatcher, type BullmqDispatcherOptions } from './bullmq-dispatcher.js';

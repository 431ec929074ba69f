import type { JobRecord, JobStatus, LockHolder } from '../../store/index.js';

export type { JobRecord, JobStatus, LockHolder, JobStep, JobError, JobFilter } from '../../store/index.js';

/** What a job does; the build and deploy providers register handlers for these (tools/build, tools/deploy). */
export type JobKind = 'build' | 'deploy' | 'rollback' | (string & {});

/**
 * What a handler gets while it runs. `signal` aborts when the job is cancelled, its lock is broken, its
 * lease is lost or the process stops: a handler passes it on (child processes, fetch) and stops promptly.
 */
export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** Starts a named step (the previous one ends). Steps are what the requester sees; throws when aborted. */
  step(name: string): Promise<void>;
  /** One line of the job's log (kept, bounded, redacted); not shown to the requester unless the job fails. */
  log(line: string): void;
}

export interface JobHandler<P = unknown, R = unknown> {
  readonly kind: JobKind;
  run(params: P, ctx: JobContext): Promise<R>;
}

export type JobEventType = 'job.started' | 'job.step' | 'job.succeeded' | 'job.failed' | 'job.cancelled' | 'job.interrupted';

/** A change the requester may want to hear about. `id` is stable per change, so a consumer can act once. */
export interface JobEvent {
  id: string;
  type: JobEventType;
  job: JobRecord;
  /** The step that started (job.step). */
  step?: string;
  at: number;
}

export interface EnqueueOptions {
  /** A person id (or `cli`/`system`). */
  requestedBy: string;
  conversationId?: string;
  /** The same key twice returns the first job (`created: false`): a retried request never starts a second run. */
  idempotencyKey: string;
  /** One job per key at a time, e.g. `deploy:soarix-web:production`. */
  lockKey?: string;
  /** What the holder is doing, in words a reply can use: "deploying abc123". */
  lockLabel?: string;
  /** When the lock is held, wait behind the holder instead of being refused. */
  queueBehind?: boolean;
}

export type EnqueueResult = { job: JobRecord; created: boolean } | { refused: 'locked'; holder: LockHolder };

export interface JobListFilter {
  status?: JobStatus | JobStatus[];
  kind?: string;
  requestedBy?: string;
  conversationId?: string;
  lockKey?: string;
  limit?: number;
}

/**
 * Runs builds, deploys and rollbacks as jobs. Records live in PostgreSQL either way; the work runs in this
 * process (no REDIS_URL) or on BullMQ workers anywhere (`switchboard worker`).
 *
 * @example
 * queue.register({ kind: 'build', run: async (params, ctx) => { await ctx.step('install'); … } });
 * const r = await queue.enqueue('build', { app: 'soarix-web' }, { requestedBy: person.id, idempotencyKey: `confirmation:${id}` });
 * if ('refused' in r) reply(`${r.holder.requesterName} is ${r.holder.label} since …`);
 */
export interface JobQueue {
  /** e.g. "in-process jobs" or "BullMQ jobs on Redis at 127.0.0.1:6379". */
  readonly description: string;
  register(handler: JobHandler<never, unknown>): void;
  enqueue(kind: JobKind, params: unknown, opts: EnqueueOptions): Promise<EnqueueResult>;
  /** Stops a job: a queued one at once; a running one is aborted (its handler sees the signal) and ends cancelled. */
  cancel(jobId: string, by: string): Promise<JobRecord>;
  get(jobId: string): Promise<JobRecord | undefined>;
  list(filter?: JobListFilter): Promise<JobRecord[]>;
  logs(jobId: string, tail?: number): Promise<string[]>;
  /** The live holder of a lock, if any. */
  lockHolder(lockKey: string): Promise<LockHolder | undefined>;
  /** An admin's decision: the holder ends failed (`lock_broken`) and the next waiting job gets the lock. */
  breakLock(lockKey: string, by: string): Promise<LockHolder | undefined>;
  onEvent(listener: (event: JobEvent) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

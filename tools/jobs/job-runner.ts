import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Clock, Logger } from '../../core/index.js';
import type { HotStore, JobError, JobRepo, JobRecord, JobStep, LockHolder, Transition } from '../../store/index.js';
import { JobAbortedError, JobNotFoundError, type JobAbortReason } from './job-errors.js';
import type {
  EnqueueOptions,
  EnqueueResult,
  JobContext,
  JobEvent,
  JobEventType,
  JobHandler,
  JobKind,
  JobListFilter,
  JobQueue,
} from './job-types.js';

/**
 * How queued jobs reach a worker: a FIFO in this process, or BullMQ on Redis. Everything else (records,
 * locks, leases, cancel, events) is the runner's and the same for both, so both pass one contract suite.
 */
export interface JobDispatcher {
  readonly description: string;
  /** Hands a queued job to a worker. Idempotent: the same id twice runs (at most) once. */
  dispatch(jobId: string): Promise<void>;
  /** Starts calling `run` for dispatched jobs (only in a process that works). */
  start(run: (jobId: string) => Promise<void>): Promise<void>;
  /** Stops taking new jobs; calls of `run` in flight go on. */
  pause(): Promise<void>;
  close(): Promise<void>;
}

export interface JobRunnerOptions {
  jobs: JobRepo;
  /** Carries events and cancel requests between processes (Redis pub/sub, or in-process). */
  hot: HotStore;
  dispatcher: JobDispatcher;
  clock: Clock;
  logger: Logger;
  handlers?: readonly JobHandler<never, unknown>[];
  /** Runs jobs in this process. False: only enqueues and watches (a service whose workers are elsewhere). Default true. */
  work?: boolean;
  /** How long a running job's lease lasts without a heartbeat (heartbeats every third of it). Default 30 s. */
  leaseMs?: number;
  /** How often expired leases are looked for and lost dispatches repeated. Default leaseMs / 2. */
  sweepMs?: number;
  /** On stop, how long running jobs may finish before they are aborted and marked interrupted. Default 10 s. */
  stopGraceMs?: number;
  /** How long `cancel` waits for a running job to end. Default 10 s. */
  cancelWaitMs?: number;
  /** Log lines kept per job (the last ones). Default 1000. */
  maxLogLines?: number;
  /** Applied to every log line and error message before it is stored (secrets from config). */
  redact?: (text: string) => string;
  /**
   * No other process can use this database (the embedded one, held under the data-folder lock): at start,
   * every job left running is an earlier life's, whatever machine name it recorded (a container's changes).
   */
  soleProcess?: boolean;
}

const EVENTS_TOPIC = 'jobs:events';
const CANCEL_TOPIC = 'jobs:cancel';

/** This process on this machine; a worker id starts with it, so a later life can tell the job's process is gone. */
const PROCESS_MARK = `${os.hostname()}:${process.pid}:${Math.round(performance.timeOrigin)}`;

/**
 * True when `workerId` names a process on this machine that no longer exists (or an earlier process
 * that had our pid, as happens in containers where the service is always pid 1). Another machine's
 * workers are never judged from here: their leases say whether they are alive.
 */
export function isGoneLocalWorker(workerId: string): boolean {
  const [host, pid, origin] = workerId.split(':');
  if (host !== os.hostname() || !pid) return false;
  if (Number(pid) === process.pid) return origin !== String(Math.round(performance.timeOrigin));
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

interface ActiveJob {
  controller: AbortController;
  reason?: JobAbortReason;
  done: Promise<void>;
}

/**
 * The jobs runtime: records in PostgreSQL, work handed out by a dispatcher. A job runs only after a
 * conditional queued → running claim, so a job delivered twice (a BullMQ stall, a repeated dispatch) is
 * run once; a job whose process died is marked interrupted (or failed when its lease ran out), never re-run.
 */
export class JobRunner implements JobQueue {
  readonly workerId = `${PROCESS_MARK}:${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<string, JobHandler<never, unknown>>();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private readonly active = new Map<string, ActiveJob>();
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly work: boolean;
  private readonly redact: (text: string) => string;
  private unsubscribe: (() => Promise<void>)[] = [];
  private stopSweep: (() => void) | undefined;
  private started = false;
  private stopping = false;

  constructor(private readonly options: JobRunnerOptions) {
    for (const handler of options.handlers ?? []) this.register(handler);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.sweepMs = options.sweepMs ?? Math.max(250, this.leaseMs / 2);
    this.work = options.work ?? true;
    this.redact = options.redact ?? ((text) => text);
  }

  get description(): string {
    return this.options.dispatcher.description;
  }

  register(handler: JobHandler<never, unknown>): void {
    this.handlers.set(handler.kind, handler);
  }

  // --- asking ---

  async enqueue(kind: JobKind, params: unknown, opts: EnqueueOptions): Promise<EnqueueResult> {
    const outcome = await this.options.jobs.create({ kind, params, ...opts });
    await this.settle(outcome.expired);
    if ('refused' in outcome) return { refused: outcome.refused, holder: outcome.holder };
    if (outcome.dispatch) await this.dispatch(outcome.job.id);
    return { job: outcome.job, created: outcome.created };
  }

  async cancel(jobId: string, by: string): Promise<JobRecord> {
    const outcome = await this.options.jobs.requestCancel(jobId, by);
    if (!outcome) throw new JobNotFoundError(jobId);
    if (outcome.effect === 'cancelled') {
      await this.settle([outcome]);
      return outcome.job;
    }
    if (outcome.effect === 'none') return outcome.job;
    this.abortLocal(jobId, 'cancelled');
    await this.options.hot.publish(CANCEL_TOPIC, jobId).catch((error: unknown) => this.options.logger.warn({ err: error, jobId }, 'cancel signal not published; the worker sees the flag at its next heartbeat'));
    const deadline = this.options.clock.now() + (this.options.cancelWaitMs ?? 10_000);
    let job = outcome.job;
    while (job.status === 'running' && this.options.clock.now() < deadline) {
      await delay(100);
      job = (await this.options.jobs.get(jobId)) ?? job;
    }
    return job;
  }

  get(jobId: string): Promise<JobRecord | undefined> {
    return this.options.jobs.get(jobId);
  }

  list(filter: JobListFilter = {}): Promise<JobRecord[]> {
    return this.options.jobs.list(filter);
  }

  logs(jobId: string, tail?: number): Promise<string[]> {
    return this.options.jobs.logs(jobId, tail);
  }

  lockHolder(lockKey: string): Promise<LockHolder | undefined> {
    return this.options.jobs.lockHolder(lockKey);
  }

  async breakLock(lockKey: string, by: string): Promise<LockHolder | undefined> {
    const broken = await this.options.jobs.breakLock(lockKey, by);
    if (!broken) return undefined;
    // The holder's worker stops at once here, elsewhere by the signal (or at its next heartbeat).
    this.abortLocal(broken.holder.jobId, 'lock_lost');
    await this.options.hot.publish(CANCEL_TOPIC, broken.holder.jobId).catch(() => {});
    if (broken.transition) await this.settle([broken.transition]);
    return broken.holder;
  }

  onEvent(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- lifecycle ---

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    const { hot, dispatcher, logger } = this.options;
    this.unsubscribe.push(
      await hot.subscribe(EVENTS_TOPIC, (message) => {
        let event: JobEvent;
        try {
          event = JSON.parse(message) as JobEvent;
        } catch {
          return;
        }
        for (const listener of [...this.listeners]) {
          try {
            listener(event);
          } catch (error) {
            logger.error({ err: error, event: event.id }, 'a job event listener failed');
          }
        }
      }),
      await hot.subscribe(CANCEL_TOPIC, (jobId) => this.abortLocal(jobId, 'cancelled')),
    );
    if (this.work) {
      await this.recoverInterrupted();
      await dispatcher.start((jobId) => this.run(jobId));
    }
    await this.sweep();
    this.stopSweep = every(this.options.clock, this.sweepMs, () => this.sweep());
  }

  /**
   * Stops taking jobs, lets running ones finish for `stopGraceMs`, then aborts the rest: they end
   * `interrupted` (and the requester is told), never re-run by the next start.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.stopSweep?.();
    await this.options.dispatcher.pause().catch(() => {});
    const grace = this.options.stopGraceMs ?? 10_000;
    const running = Promise.all([...this.active.values()].map((a) => a.done));
    await Promise.race([running, delay(grace)]);
    for (const id of this.active.keys()) this.abortLocal(id, 'shutdown');
    // A handler that ignores its signal must not hold the process for ever: its lease lapses, and the next
    // start (or another worker's sweep) marks the job.
    await Promise.race([running, delay(5_000)]);
    await this.options.dispatcher.close().catch((error: unknown) => this.options.logger.warn({ err: error }, 'job dispatcher did not close cleanly'));
    for (const off of this.unsubscribe.splice(0)) await off().catch(() => {});
    this.started = false;
  }

  // --- running ---

  private async run(jobId: string): Promise<void> {
    if (this.stopping) return; // stays queued; the next start (here or on another worker) dispatches it again
    const { jobs, logger, clock } = this.options;
    const job = await jobs.claim(jobId, this.workerId, this.leaseMs);
    if (!job) return this.notClaimed(jobId);
    if (this.stopping) {
      // Claimed while the runner was stopping: it must not start now that the stores are about to close.
      const ended = await jobs.interrupt(job.id, this.workerId, 'the service stopped as it was about to start; it was not run');
      if (ended) await this.settle([ended]);
      return;
    }

    const controller = new AbortController();
    let finished!: () => void;
    const active: ActiveJob = { controller, done: new Promise<void>((resolve) => (finished = resolve)) };
    this.active.set(job.id, active);
    const steps: JobStep[] = [];
    const pending: string[] = [];
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      const lines = pending.splice(0);
      if (lines.length) {
        flushing = flushing
          .then(() => jobs.appendLogs(job.id, lines, this.options.maxLogLines ?? 1000))
          .catch((error: unknown) => logger.warn({ err: error, jobId: job.id }, 'job log lines not stored'));
      }
      return flushing;
    };
    const stopHeartbeat = every(clock, Math.max(100, Math.floor(this.leaseMs / 3)), async () => {
      const beat = await jobs.heartbeat(job.id, this.workerId, this.leaseMs).catch(() => undefined);
      if (!beat) return; // the store is away: the lease may lapse, and then the job is marked failed elsewhere
      if (!beat.held) this.abortLocal(job.id, 'lock_lost');
      else if (beat.cancelRequested) this.abortLocal(job.id, 'cancelled');
    });
    const stopFlush = every(clock, 500, flush);
    const ctx: JobContext = {
      jobId: job.id,
      signal: controller.signal,
      step: async (name) => {
        if (controller.signal.aborted) throw new JobAbortedError(active.reason ?? 'cancelled');
        const now = clock.now();
        const last = steps.at(-1);
        if (last && last.endedAt === undefined) last.endedAt = now;
        steps.push({ name, startedAt: now });
        await jobs.saveSteps(job.id, this.workerId, steps);
        await this.publish('job.step', { ...job, steps: [...steps] }, name, steps.length);
      },
      log: (line) => {
        pending.push(this.redact(line));
        if (pending.length >= 100) void flush();
      },
    };

    await this.publish('job.started', job);
    let outcome: { status: 'succeeded' | 'failed' | 'interrupted'; result?: unknown; error?: JobError };
    try {
      const handler = this.handlers.get(job.kind);
      if (!handler) throw Object.assign(new Error(`no handler for jobs of kind "${job.kind}" on this worker`), { code: 'no_handler' });
      const result = await handler.run(job.params as never, ctx);
      outcome = { status: 'succeeded', ...(result === undefined ? {} : { result }) };
    } catch (error) {
      const step = steps.at(-1)?.name;
      outcome =
        active.reason === 'shutdown'
          ? { status: 'interrupted', error: { code: 'interrupted', message: 'the service stopped while it ran; it was not run again', ...(step ? { step } : {}) } }
          : { status: 'failed', error: this.toJobError(error, step) };
    } finally {
      stopHeartbeat();
      stopFlush();
    }
    const last = steps.at(-1);
    if (last && last.endedAt === undefined) last.endedAt = clock.now();
    await flush();
    try {
      const ended = await retryStore(() => jobs.finish(job.id, this.workerId, { ...outcome, steps }));
      // Undefined: it was ended elsewhere (lease lost, lock broken), and whoever ended it told the requester.
      if (ended) await this.settle([ended]);
    } catch (error) {
      logger.error({ err: error, jobId: job.id }, 'job outcome not stored; its lease will lapse and it will be marked failed');
    } finally {
      this.active.delete(job.id);
      finished();
    }
  }

  /** A job this worker was handed but could not claim: finished, waiting for its lock, or running elsewhere. */
  private async notClaimed(jobId: string): Promise<void> {
    const job = await this.options.jobs.get(jobId);
    if (job?.status !== 'running' || !job.workerId || job.workerId === this.workerId) return;
    // BullMQ hands a stalled job out again when its worker died. It must not run twice: mark it instead.
    if (isGoneLocalWorker(job.workerId)) {
      const ended = await this.options.jobs.interrupt(job.id, job.workerId, 'the worker running it stopped; it was not run again');
      if (ended) await this.settle([ended]);
    } else {
      await this.settle(await this.options.jobs.expireLeases());
    }
  }

  /** At start: jobs left running by an earlier life of a process on this machine are interrupted. */
  private async recoverInterrupted(): Promise<void> {
    for (const job of await this.options.jobs.running()) {
      if (!job.workerId || job.workerId === this.workerId) continue;
      if (!this.options.soleProcess && !isGoneLocalWorker(job.workerId)) continue;
      const ended = await this.options.jobs.interrupt(job.id, job.workerId, 'the service restarted while it ran; it was not run again');
      if (ended) {
        this.options.logger.warn({ jobId: job.id, kind: job.kind }, 'job interrupted by a restart');
        await this.settle([ended]);
      }
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.settle(await this.options.jobs.expireLeases());
      if (!this.stopping) for (const job of await this.options.jobs.dispatchable()) await this.dispatch(job.id);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'job sweep failed; it runs again shortly');
    }
  }

  private async dispatch(jobId: string): Promise<void> {
    try {
      await this.options.dispatcher.dispatch(jobId);
    } catch (error) {
      // It stays queued in the store; the sweep dispatches it again.
      this.options.logger.warn({ err: error, jobId }, 'job not dispatched yet');
    }
  }

  /** Tells listeners about transitions and starts the jobs that were waiting for the released locks. */
  private async settle(transitions: readonly Transition[]): Promise<void> {
    for (const t of transitions) {
      await this.publish(eventFor(t.job.status), t.job);
      if (t.granted) await this.dispatch(t.granted);
    }
  }

  private async publish(type: JobEventType, job: JobRecord, step?: string, stepIndex?: number): Promise<void> {
    const event: JobEvent = {
      id: step ? `${type}:${job.id}:${stepIndex}` : `${type}:${job.id}`,
      type,
      job,
      ...(step ? { step } : {}),
      at: this.options.clock.now(),
    };
    await this.options.hot.publish(EVENTS_TOPIC, JSON.stringify(event)).catch((error: unknown) => {
      this.options.logger.warn({ err: error, event: event.id }, 'job event not published');
    });
  }

  private abortLocal(jobId: string, reason: JobAbortReason): void {
    const active = this.active.get(jobId);
    if (!active || active.controller.signal.aborted) return;
    active.reason = reason;
    active.controller.abort(new JobAbortedError(reason));
  }

  private toJobError(error: unknown, step: string | undefined): JobError {
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'job_failed';
    const message = this.redact(error instanceof Error ? error.message : String(error));
    return { code, message, ...(step ? { step } : {}) };
  }
}

function eventFor(status: JobRecord['status']): JobEventType {
  switch (status) {
    case 'succeeded':
      return 'job.succeeded';
    case 'cancelled':
      return 'job.cancelled';
    case 'interrupted':
      return 'job.interrupted';
    default:
      return 'job.failed';
  }
}

/** Runs `fn` every `ms` on the injected clock, never two at once; returns how to stop. */
function every(clock: Clock, ms: number, fn: () => Promise<unknown> | unknown): () => void {
  let stopped = false;
  let handle = clock.setTimeout(tick, ms);
  function tick(): void {
    void Promise.resolve()
      .then(fn)
      .catch(() => {})
      .finally(() => {
        if (!stopped) handle = clock.setTimeout(tick, ms);
      });
  }
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

/** The outcome of a job is worth a short wait for the store (a PostgreSQL restart takes seconds). */
async function retryStore<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 4 || (error as { code?: string }).code !== 'store_error') throw error;
      await delay(500 * attempt);
    }
  }
}

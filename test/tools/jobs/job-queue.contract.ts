import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { JobRepo, type Database, type HotStore } from '../../../store/index.js';
import { createJobQueue, type JobEvent, type JobHandler, type JobQueue, type JobRecord } from '../../../tools/jobs/index.js';

/** A store both "processes" of a test share: the durable database and the hot tier (events, cancel signals). */
export interface JobStoreHarness {
  db: Database;
  hot: HotStore;
  /** REDIS_URL for BullMQ; absent for the in-process runner. */
  redisUrl?: string;
  /** A BullMQ key prefix of this test run's own. */
  bullPrefix?: string;
  close(): Promise<void>;
}

type Queue = JobQueue & { readonly workerId: string };

export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A handler that runs until the test lets it go, or its signal aborts (then it rejects, as a real one would). */
export function gatedHandler(kind: string) {
  const runs: { params: unknown; signal: AbortSignal }[] = [];
  let release!: () => void;
  let released = new Promise<void>((r) => (release = r));
  const handler: JobHandler<{ label?: string }, { done: true }> = {
    kind,
    async run(params, ctx) {
      const mine = released; // the release that lets this run go, even if the test releases before it waits
      runs.push({ params, signal: ctx.signal });
      await ctx.step('prepare');
      ctx.log(`starting ${params.label ?? ''}`);
      await new Promise<void>((resolve, reject) => {
        if (ctx.signal.aborted) return reject(ctx.signal.reason);
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        void mine.then(resolve);
      });
      await ctx.step('finish');
      return { done: true };
    },
  };
  return {
    handler,
    runs,
    release() {
      release();
      released = new Promise<void>((r) => (release = r));
    },
  };
}

/** A pid that belonged to a process on this machine and is gone now. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/**
 * What every job queue must do, in-process or on BullMQ: run, record, lock, cancel, recover. Each
 * implementation joins with a few lines (in-process on PGlite; BullMQ on Redis + PostgreSQL).
 */
export function describeJobQueueContract(name: string, open: () => Promise<JobStoreHarness>): void {
  describe(`job queue contract: ${name}`, () => {
    let h: JobStoreHarness;
    let repo: JobRepo;
    const queues: Queue[] = [];
    let events: JobEvent[] = [];
    let seq = 0;
    const key = (label: string) => `${label}:${++seq}:${Date.now()}`;

    beforeAll(async () => {
      h = await open();
      repo = new JobRepo(h.db, new SystemClock());
    });
    afterEach(async () => {
      for (const q of queues.splice(0)) await q.stop();
      events = [];
    });
    afterAll(async () => {
      await h?.close();
    });

    async function queue(handlers: JobHandler<never, unknown>[], options: { leaseMs?: number; maxLogLines?: number; stopGraceMs?: number; redact?: (t: string) => string } = {}): Promise<Queue> {
      const q = createJobQueue({
        jobs: repo,
        hot: h.hot,
        clock: new SystemClock(),
        logger: silentLogger(),
        handlers,
        ...(h.redisUrl ? { redisUrl: h.redisUrl } : {}),
        ...(h.bullPrefix ? { bullPrefix: h.bullPrefix } : {}),
        leaseMs: options.leaseMs ?? 3_000,
        sweepMs: 250,
        cancelWaitMs: 10_000,
        stopGraceMs: options.stopGraceMs ?? 500,
        ...(options.maxLogLines ? { maxLogLines: options.maxLogLines } : {}),
        ...(options.redact ? { redact: options.redact } : {}),
      });
      q.onEvent((e) => events.push(e));
      queues.push(q);
      await q.start();
      return q;
    }

    const finished = (q: JobQueue, id: string) =>
      waitFor(async () => {
        const job = await q.get(id);
        return job && !['queued', 'running'].includes(job.status) ? job : undefined;
      }, `job ${id} to finish`);
    const eventsOf = (id: string) => events.filter((e) => e.job.id === id).map((e) => e.type);
    const created = (r: Awaited<ReturnType<JobQueue['enqueue']>>): JobRecord => {
      if ('refused' in r) throw new Error(`refused: held by ${r.holder.jobId}`);
      return r.job;
    };

    it('runs a job: queued → running → succeeded, with its steps, result, log and events', async () => {
      const build: JobHandler<{ app: string }, { url: string }> = {
        kind: 'build',
        async run(params, ctx) {
          await ctx.step('install');
          ctx.log('npm ci');
          await ctx.step('compile');
          ctx.log(`built ${params.app}`);
          return { url: `https://${params.app}.example` };
        },
      };
      const q = await queue([build as JobHandler<never, unknown>]);
      const r = await q.enqueue('build', { app: 'soarix-web' }, { requestedBy: 'cli', idempotencyKey: key('run'), conversationId: 'conv-1' });
      const job = created(r);
      expect(job.status).toBe('queued');
      const done = await finished(q, job.id);
      expect(done).toMatchObject({ status: 'succeeded', kind: 'build', result: { url: 'https://soarix-web.example' }, requestedBy: 'cli', conversationId: 'conv-1' });
      expect(done.steps.map((s) => s.name)).toEqual(['install', 'compile']);
      expect(done.steps.every((s) => s.endedAt !== undefined && s.endedAt >= s.startedAt)).toBe(true);
      expect(done.startedAt).toBeGreaterThanOrEqual(done.createdAt);
      expect(done.endedAt).toBeGreaterThanOrEqual(done.startedAt!);
      expect(done.workerId).toBe(q.workerId);
      expect(q.description).toMatch(h.redisUrl ? /^BullMQ jobs on Redis/ : /^in-process jobs$/);
      expect(await q.logs(job.id)).toEqual(['npm ci', 'built soarix-web']);
      await waitFor(() => eventsOf(job.id).includes('job.succeeded'), 'the succeeded event');
      expect(eventsOf(job.id)).toEqual(['job.started', 'job.step', 'job.step', 'job.succeeded']);
      expect(events.filter((e) => e.type === 'job.step').map((e) => e.step)).toEqual(['install', 'compile']);
      expect((await q.list({ status: 'succeeded', kind: 'build' })).map((j) => j.id)).toContain(job.id);
      expect((await q.list({ status: 'failed' })).map((j) => j.id)).not.toContain(job.id);
    });

    it('an idempotency key used twice gives the first job back and runs it once', async () => {
      let calls = 0;
      const q = await queue([{ kind: 'once', run: async () => ++calls }]);
      const k = key('idem');
      const first = created(await q.enqueue('once', {}, { requestedBy: 'cli', idempotencyKey: k }));
      const again = await q.enqueue('once', {}, { requestedBy: 'cli', idempotencyKey: k });
      expect(again).toMatchObject({ created: false, job: { id: first.id } });
      await finished(q, first.id);
      const third = await q.enqueue('once', {}, { requestedBy: 'cli', idempotencyKey: k });
      expect(third).toMatchObject({ created: false, job: { id: first.id, status: 'succeeded' } });
      await new Promise((r) => setTimeout(r, 300));
      expect(calls).toBe(1);
    });

    it('a failing handler ends failed with its code, message and the step it was in; log lines are redacted', async () => {
      const q = await queue(
        [
          {
            kind: 'fails',
            async run(_p, ctx) {
              await ctx.step('tests');
              ctx.log('token=sekrit-123456 used');
              throw Object.assign(new Error('3 tests failed (sekrit-123456)'), { code: 'build_failed' });
            },
          },
        ],
        { redact: (t) => t.replaceAll('sekrit-123456', '[redacted]') },
      );
      const job = created(await q.enqueue('fails', {}, { requestedBy: 'cli', idempotencyKey: key('fail') }));
      const done = await finished(q, job.id);
      expect(done.status).toBe('failed');
      expect(done.error).toEqual({ code: 'build_failed', message: '3 tests failed ([redacted])', step: 'tests' });
      expect(await q.logs(job.id)).toEqual(['token=[redacted] used']);
      await waitFor(() => eventsOf(job.id).includes('job.failed'), 'the failed event');
    });

    it('keeps only the last lines of a long log', async () => {
      const q = await queue([{ kind: 'chatty', run: async (_p, ctx) => { for (let i = 1; i <= 250; i++) ctx.log(`line ${i}`); } }], { maxLogLines: 20 });
      const job = created(await q.enqueue('chatty', {}, { requestedBy: 'cli', idempotencyKey: key('log') }));
      const done = await finished(q, job.id);
      expect(done.logLines).toBe(250);
      const lines = await q.logs(job.id, 1000);
      expect(lines).toHaveLength(20);
      expect(lines.at(0)).toBe('line 231');
      expect(lines.at(-1)).toBe('line 250');
      expect(await q.logs(job.id, 3)).toEqual(['line 248', 'line 249', 'line 250']);
    });

    it('one job per lock key: a second request is refused, naming the holder, since when and doing what', async () => {
      const gate = gatedHandler('deploy');
      const q = await queue([gate.handler as JobHandler<never, unknown>]);
      const lockKey = key('deploy:soarix-web:production');
      const first = created(await q.enqueue('deploy', { label: 'a' }, { requestedBy: 'alice', idempotencyKey: key('l1'), lockKey, lockLabel: 'deploying abc123' }));
      const second = await q.enqueue('deploy', { label: 'b' }, { requestedBy: 'bob', idempotencyKey: key('l2'), lockKey, lockLabel: 'deploying def456' });
      expect(second).toMatchObject({ refused: 'locked', holder: { jobId: first.id, requestedBy: 'alice', label: 'deploying abc123', lockKey, kind: 'deploy' } });
      if (!('refused' in second)) throw new Error('not refused');
      expect(second.holder.since).toBeGreaterThanOrEqual(first.createdAt);
      expect(await q.lockHolder(lockKey)).toMatchObject({ jobId: first.id });
      await waitFor(() => gate.runs.length === 1, 'the first deploy to start');
      gate.release();
      await finished(q, first.id);
      expect(await q.lockHolder(lockKey)).toBeUndefined();
      const third = created(await q.enqueue('deploy', { label: 'c' }, { requestedBy: 'bob', idempotencyKey: key('l3'), lockKey }));
      await waitFor(() => gate.runs.length === 2, 'the next deploy to start');
      gate.release();
      expect((await finished(q, third.id)).status).toBe('succeeded');
      // The refused request left no record behind.
      expect((await q.list({ lockKey })).map((j) => j.id).sort()).toEqual([first.id, third.id].sort());
    });

    it('two requests at the same moment on one lock: exactly one is accepted', async () => {
      const gate = gatedHandler('deploy');
      const q = await queue([gate.handler as JobHandler<never, unknown>]);
      const lockKey = key('deploy:shop:staging');
      const results = await Promise.all(
        [1, 2, 3, 4].map((i) => q.enqueue('deploy', {}, { requestedBy: `p${i}`, idempotencyKey: key(`race${i}`), lockKey, lockLabel: `deploying ${i}` })),
      );
      const accepted = results.filter((r) => !('refused' in r));
      expect(accepted).toHaveLength(1);
      for (const r of results) if ('refused' in r) expect(r.holder.jobId).toBe((accepted[0] as { job: JobRecord }).job.id);
      await waitFor(() => gate.runs.length === 1, 'the accepted deploy to start');
      gate.release();
      await finished(q, (accepted[0] as { job: JobRecord }).job.id);
    });

    it('queues behind the holder when asked, and runs when the lock passes to it', async () => {
      const gate = gatedHandler('deploy');
      const q = await queue([gate.handler as JobHandler<never, unknown>]);
      const lockKey = key('deploy:api:staging');
      const first = created(await q.enqueue('deploy', { label: 'first' }, { requestedBy: 'alice', idempotencyKey: key('q1'), lockKey }));
      const second = created(await q.enqueue('deploy', { label: 'second' }, { requestedBy: 'bob', idempotencyKey: key('q2'), lockKey, queueBehind: true }));
      expect(second.status).toBe('queued');
      await waitFor(() => gate.runs.length === 1, 'the first to start');
      await new Promise((r) => setTimeout(r, 400));
      expect(gate.runs).toHaveLength(1);
      expect((await q.get(second.id))!.status).toBe('queued');
      gate.release();
      await finished(q, first.id);
      await waitFor(() => gate.runs.length === 2, 'the second to start');
      expect(gate.runs[1]!.params).toEqual({ label: 'second' });
      expect(await q.lockHolder(lockKey)).toMatchObject({ jobId: second.id, requestedBy: 'bob' });
      gate.release();
      expect((await finished(q, second.id)).status).toBe('succeeded');
    });

    it('cancel stops a running job: the handler sees its signal abort, the job ends cancelled and the lock is free', async () => {
      const gate = gatedHandler('build');
      const q = await queue([gate.handler as JobHandler<never, unknown>]);
      const lockKey = key('build:site');
      const job = created(await q.enqueue('build', {}, { requestedBy: 'alice', idempotencyKey: key('c1'), lockKey }));
      await waitFor(() => gate.runs.length === 1, 'the build to start');
      const cancelled = await q.cancel(job.id, 'alice');
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.cancelRequestedBy).toBe('alice');
      expect(cancelled.error).toBeUndefined();
      expect(gate.runs[0]!.signal.aborted).toBe(true);
      expect(cancelled.steps.map((s) => s.name)).toEqual(['prepare']);
      await waitFor(() => eventsOf(job.id).includes('job.cancelled'), 'the cancelled event');
      expect(await q.lockHolder(lockKey)).toBeUndefined();
      // Cancelling again, or cancelling a finished job, changes nothing.
      expect((await q.cancel(job.id, 'bob')).cancelRequestedBy).toBe('alice');
      await expect(q.cancel('00000000-0000-4000-8000-000000000000', 'bob')).rejects.toMatchObject({ code: 'job_not_found' });
    });

    it('cancel of a job waiting behind a lock ends it at once; it never runs', async () => {
      const gate = gatedHandler('deploy');
      const q = await queue([gate.handler as JobHandler<never, unknown>]);
      const lockKey = key('deploy:blog:production');
      const first = created(await q.enqueue('deploy', {}, { requestedBy: 'alice', idempotencyKey: key('w1'), lockKey }));
      const waiting = created(await q.enqueue('deploy', {}, { requestedBy: 'bob', idempotencyKey: key('w2'), lockKey, queueBehind: true }));
      expect((await q.cancel(waiting.id, 'bob')).status).toBe('cancelled');
      await waitFor(() => gate.runs.length === 1, 'the first to start');
      gate.release();
      await finished(q, first.id);
      await new Promise((r) => setTimeout(r, 400));
      expect(gate.runs).toHaveLength(1);
      expect(await q.lockHolder(lockKey)).toBeUndefined();
    });

    it('an admin breaks a lock: the holder is stopped and failed, the job waiting behind it runs', async () => {
      const gate = gatedHandler('deploy');
      const q = await queue([gate.handler as JobHandler<never, unknown>]);
      const lockKey = key('deploy:crm:production');
      const stuck = created(await q.enqueue('deploy', { label: 'stuck' }, { requestedBy: 'alice', idempotencyKey: key('b1'), lockKey, lockLabel: 'deploying 111' }));
      const next = created(await q.enqueue('deploy', { label: 'next' }, { requestedBy: 'bob', idempotencyKey: key('b2'), lockKey, queueBehind: true }));
      await waitFor(() => gate.runs.length === 1, 'the stuck deploy to start');
      const holder = await q.breakLock(lockKey, 'admin-carol');
      expect(holder).toMatchObject({ jobId: stuck.id, label: 'deploying 111' });
      const broken = await finished(q, stuck.id);
      expect(broken.status).toBe('failed');
      expect(broken.error).toMatchObject({ code: 'lock_broken' });
      await waitFor(() => gate.runs[0]!.signal.aborted, 'the stuck handler to be aborted');
      await waitFor(() => gate.runs.length === 2, 'the waiting deploy to start');
      gate.release();
      expect((await finished(q, next.id)).status).toBe('succeeded');
      expect(await q.breakLock(lockKey, 'admin-carol')).toBeUndefined();
    });

    it('the lock of a dead job expires by itself: the job is marked failed and the next request runs', async () => {
      let runs = 0;
      const q = await queue([{ kind: 'deploy', run: async () => ++runs }], { leaseMs: 1_000 });
      const lockKey = key('deploy:dead:production');
      // A worker on another machine claimed it and then went silent (no heartbeats).
      const r = await repo.create({ kind: 'deploy', params: {}, requestedBy: 'alice', idempotencyKey: key('d1'), lockKey, lockLabel: 'deploying 999' });
      if (!('job' in r)) throw new Error('refused');
      expect(await repo.claim(r.job.id, 'elsewhere:4242:1:dead', 2_000)).toBeDefined();
      const refused = await q.enqueue('deploy', {}, { requestedBy: 'bob', idempotencyKey: key('d2'), lockKey });
      expect(refused).toMatchObject({ refused: 'locked', holder: { jobId: r.job.id } });
      const dead = await finished(q, r.job.id);
      expect(dead.status).toBe('failed');
      expect(dead.error).toMatchObject({ code: 'lease_expired' });
      await waitFor(() => eventsOf(r.job.id).includes('job.failed'), 'the failed event');
      const next = created(await q.enqueue('deploy', {}, { requestedBy: 'bob', idempotencyKey: key('d3'), lockKey }));
      expect((await finished(q, next.id)).status).toBe('succeeded');
      expect(runs).toBe(1);
    });

    it('after a restart, jobs left running by the dead process are interrupted (and said so), never run again', async () => {
      let runs = 0;
      const r = await repo.create({ kind: 'deploy', params: {}, requestedBy: 'alice', idempotencyKey: key('r1'), lockKey: key('deploy:x:production') });
      if (!('job' in r)) throw new Error('refused');
      // The previous life of the service on this machine: a process that is gone now.
      await repo.claim(r.job.id, `${os.hostname()}:${deadPid()}:1:old`, 60_000);
      const q = await queue([{ kind: 'deploy', run: async () => ++runs }]);
      const job = await q.get(r.job.id);
      expect(job).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' } });
      await waitFor(() => eventsOf(r.job.id).includes('job.interrupted'), 'the interrupted event');
      expect(await q.lockHolder(r.job.lockKey!)).toBeUndefined();
      await new Promise((res) => setTimeout(res, 400));
      expect(runs).toBe(0);
    });

    it('jobs still queued at a restart run after it', async () => {
      let runs = 0;
      const r = await repo.create({ kind: 'late', params: {}, requestedBy: 'alice', idempotencyKey: key('late') });
      if (!('job' in r)) throw new Error('refused');
      const q = await queue([{ kind: 'late', run: async () => ++runs }]);
      expect((await finished(q, r.job.id)).status).toBe('succeeded');
      expect(runs).toBe(1);
    });

    it('stopping mid-job aborts it after the grace period and marks it interrupted; the next start does not re-run it', async () => {
      const gate = gatedHandler('build');
      const q = await queue([gate.handler as JobHandler<never, unknown>], { stopGraceMs: 200 });
      const job = created(await q.enqueue('build', {}, { requestedBy: 'alice', idempotencyKey: key('s1') }));
      await waitFor(() => gate.runs.length === 1, 'the build to start');
      await q.stop();
      expect(gate.runs[0]!.signal.aborted).toBe(true);
      expect(await q.get(job.id)).toMatchObject({ status: 'interrupted', error: { code: 'interrupted', step: 'prepare' } });
      await queue([gate.handler as JobHandler<never, unknown>]);
      await new Promise((r) => setTimeout(r, 400));
      expect(gate.runs).toHaveLength(1);
    });

    it('a job kind nobody handles fails with no_handler', async () => {
      const q = await queue([]);
      const job = created(await q.enqueue('mystery', {}, { requestedBy: 'cli', idempotencyKey: key('nh') }));
      expect((await finished(q, job.id)).error).toMatchObject({ code: 'no_handler' });
    });

    it('events reach a queue in another process of the same deployment', async () => {
      const worker = await queue([{ kind: 'ping', run: async () => 'pong' }]);
      const watcherEvents: JobEvent[] = [];
      const watcher = createJobQueue({
        jobs: repo,
        hot: h.hot,
        clock: new SystemClock(),
        logger: silentLogger(),
        work: false,
        ...(h.redisUrl ? { redisUrl: h.redisUrl, bullPrefix: h.bullPrefix! } : {}),
      });
      watcher.onEvent((e) => watcherEvents.push(e));
      queues.push(watcher);
      await watcher.start();
      const job = created(await watcher.enqueue('ping', {}, { requestedBy: 'cli', idempotencyKey: key('ev') }));
      expect((await finished(worker, job.id)).result).toBe('pong');
      await waitFor(() => watcherEvents.some((e) => e.job.id === job.id && e.type === 'job.succeeded'), 'the event in the watcher');
    });
  });
}

/** Deletes the keys a test run left in the shared Redis (BullMQ's and the hot tier's, all under `prefix`). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { JobRepo, RedisHotStore } from '../../../store/index.js';
import { createJobQueue, type JobEvent, type JobQueue } from '../../../tools/jobs/index.js';
import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase, REDIS_URL, uniqueName, type TestDatabase } from '../../support/services.js';
import { deleteRedisKeys, waitFor } from './job-queue.contract.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCRIPT = path.join(import.meta.dirname, 'support/job-worker-process.ts');

describeNeeding('postgres', 'redis')('a BullMQ worker killed mid-job', () => {
  let t: TestDatabase;
  let hot: RedisHotStore;
  const prefix = uniqueName('sbkill');
  const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-jobs-')), 'runs.txt');
  const children: ChildProcess[] = [];
  const queues: JobQueue[] = [];

  beforeAll(async () => {
    t = await postgresTestDatabase();
    hot = await RedisHotStore.connect({ url: REDIS_URL, clock: new SystemClock(), prefix: `${prefix}:` });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const q of queues) await q.stop();
    await hot?.close();
    await t?.close();
    await deleteRedisKeys(REDIS_URL, prefix);
  });

  function startWorker(): { child: ChildProcess; output: () => string; ready: Promise<void> } {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url!, REDIS_URL, HOT_PREFIX: `${prefix}:`, BULL_PREFIX: `${prefix}-bull`, MARKER_FILE: marker, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    const ready = waitFor(() => out.includes('ready '), 'the worker process to start', 60_000).then(() => {});
    return { child, output: () => out, ready };
  }

  function queue(work: boolean): JobQueue {
    const q = createJobQueue({
      jobs: new JobRepo(t.db, new SystemClock()),
      hot,
      clock: new SystemClock(),
      logger: silentLogger(),
      redisUrl: REDIS_URL,
      bullPrefix: `${prefix}-bull`,
      work,
      leaseMs: 10_000,
      sweepMs: 250,
      handlers: [{ kind: 'deploy', run: async () => 'ran in the test process' }],
    });
    queues.push(q);
    return q;
  }

  const runsOf = (jobId: string) => readFileSync(marker, 'utf8').split('\n').filter((l) => l.startsWith(jobId));

  it('is marked interrupted (and said so) when a worker starts again, never run a second time, and its lock is freed', async () => {
    const first = startWorker();
    await first.ready;
    const requester = queue(false);
    const events: JobEvent[] = [];
    requester.onEvent((e) => events.push(e));
    await requester.start();
    const lockKey = 'deploy:soarix-web:production';
    const r = await requester.enqueue('deploy', { sha: 'abc123' }, { requestedBy: 'alice', idempotencyKey: 'kill-1', lockKey, lockLabel: 'deploying abc123' });
    if ('refused' in r) throw new Error('refused');
    await waitFor(() => first.output().includes(`running ${r.job.id}`), 'the job to run in the worker');
    expect((await requester.get(r.job.id))!.status).toBe('running');

    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    // The lock still names the dead job (its lease has not run out): a second deploy is refused, holder named.
    expect(await requester.enqueue('deploy', {}, { requestedBy: 'bob', idempotencyKey: 'kill-2', lockKey })).toMatchObject({
      refused: 'locked',
      holder: { jobId: r.job.id, requestedBy: 'alice', label: 'deploying abc123' },
    });

    // A worker starts again on this machine: the job of the killed process is interrupted, not re-run,
    // even though BullMQ hands the stalled job out again.
    const second = startWorker();
    await second.ready;
    const ended = await waitFor(async () => {
      const job = await requester.get(r.job.id);
      return job?.status === 'interrupted' ? job : undefined;
    }, 'the job to be marked interrupted');
    expect(ended.error).toMatchObject({ code: 'interrupted' });
    expect(ended.steps.map((s) => s.name)).toEqual(['switch']);
    await waitFor(() => events.some((e) => e.type === 'job.interrupted' && e.job.id === r.job.id), 'the interrupted event at the requester');
    expect(await requester.lockHolder(lockKey)).toBeUndefined();

    // BullMQ's stall check (30 s in the worker) would hand it out again; wait past a few sweeps and check it never ran twice.
    await new Promise((res) => setTimeout(res, 1_500));
    expect(runsOf(r.job.id)).toHaveLength(1);
    expect(second.output()).not.toContain(`running ${r.job.id}`);

    // The lock is free: the next deploy runs (on the new worker).
    const next = await requester.enqueue('deploy', {}, { requestedBy: 'bob', idempotencyKey: 'kill-3', lockKey });
    if ('refused' in next) throw new Error('still locked');
    await waitFor(() => second.output().includes(`running ${next.job.id}`), 'the next deploy to run');
    expect(await requester.cancel(next.job.id, 'bob')).toMatchObject({ status: 'cancelled' });
  });
});

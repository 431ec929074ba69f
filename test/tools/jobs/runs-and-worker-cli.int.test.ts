import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { JobRepo, MemoryHotStore, RedisHotStore } from '../../../store/index.js';
import { createJobQueue, type JobQueue, type JobRecord } from '../../../tools/jobs/index.js';
import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase, REDIS_URL, type TestDatabase } from '../../support/services.js';
import { runCli } from '../../support/spawn-service.js';
import { deleteRedisKeys, waitFor } from './job-queue.contract.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'bin/switchboard.js');

describeNeeding('postgres', 'redis')('switchboard runs and switchboard worker', () => {
  let t: TestDatabase;
  let ok: JobRecord;
  let failed: JobRecord;
  // A Redis database of its own: `switchboard worker` uses the service's default key prefixes.
  const redisUrl = (() => {
    const u = new URL(REDIS_URL);
    u.pathname = '/11';
    return u.toString();
  })();

  beforeAll(async () => {
    t = await postgresTestDatabase();
    const hot = new MemoryHotStore(new SystemClock());
    const q = createJobQueue({
      jobs: new JobRepo(t.db, new SystemClock()),
      hot,
      clock: new SystemClock(),
      logger: silentLogger(),
      handlers: [
        {
          kind: 'build',
          async run(params: { fail?: boolean }, ctx) {
            await ctx.step('install');
            for (let i = 1; i <= 5; i++) ctx.log(`install line ${i}`);
            await ctx.step('compile');
            if (params.fail) throw Object.assign(new Error('tsc found 2 errors'), { code: 'build_failed' });
            return { artifact: 'build-1' };
          },
        },
      ],
    });
    await q.start();
    const finished = (id: string) => waitFor(async () => {
      const j = await q.get(id);
      return j && j.status !== 'queued' && j.status !== 'running' ? j : undefined;
    }, 'the job to finish');
    const a = await q.enqueue('build', {}, { requestedBy: 'cli', idempotencyKey: 'cli-ok', lockKey: 'build:site', lockLabel: 'building main' });
    const b = await q.enqueue('build', { fail: true }, { requestedBy: 'cli', idempotencyKey: 'cli-fail' });
    ok = await finished((a as { job: JobRecord }).job.id);
    failed = await finished((b as { job: JobRecord }).job.id);
    await q.stop();
    await hot.close();
  });
  afterAll(async () => {
    await t?.close();
    await deleteRedisKeys(redisUrl, 'sb');
  });

  it('runs list shows the runs, newest first, and filters by status', async () => {
    const result = await runCli(['runs', 'list'], { DATABASE_URL: t.url! });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+STATUS\s+REQUESTED BY\s+CREATED\s+DURATION\s+STEP\s+WHAT$/);
    expect(lines[1]).toMatch(new RegExp(`^${failed.id.slice(0, 8)}\\s+build\\s+failed\\s+cli\\s.*compile\\s+-$`));
    expect(lines[2]).toMatch(new RegExp(`^${ok.id.slice(0, 8)}\\s+build\\s+succeeded\\s+cli\\s.*compile\\s+building main$`));
    const json = await runCli(['runs', 'list', '--status', 'failed', '--json'], { DATABASE_URL: t.url! });
    expect((JSON.parse(json.stdout) as JobRecord[]).map((j) => j.id)).toEqual([failed.id]);
    const bad = await runCli(['runs', 'list', '--status', 'exploded'], { DATABASE_URL: t.url! });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('status must be one of queued, running, succeeded, failed, cancelled, interrupted');
  });

  it('runs show <id> gives the steps and the failing step with its error, by the short id too', async () => {
    const result = await runCli(['runs', 'show', failed.id.slice(0, 8)], { DATABASE_URL: t.url! });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`build ${failed.id}\n`);
    expect(result.stdout).toMatch(/^status:\s+failed$/m);
    expect(result.stdout).toContain('error:         build_failed: tsc found 2 errors (in step "compile")');
    expect(result.stdout).toMatch(/^ {2}install\s+\d+ ms$/m);
    expect(result.stdout).toMatch(/^log:\s+5 lines/m);
    const json = await runCli(['runs', 'show', ok.id, '--json'], { DATABASE_URL: t.url! });
    expect(JSON.parse(json.stdout)).toMatchObject({ id: ok.id, status: 'succeeded', result: { artifact: 'build-1' } });
    const missing = await runCli(['runs', 'show', '0000aaaa'], { DATABASE_URL: t.url! });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no job 0000aaaa.');
    expect((await runCli(['runs', 'show'], { DATABASE_URL: t.url! })).code).toBe(2);
  });

  it('runs logs <id> prints the last lines', async () => {
    const result = await runCli(['runs', 'logs', ok.id, '--tail', '2'], { DATABASE_URL: t.url! });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('install line 4\ninstall line 5\n');
    expect(result.stderr).toBe('(last 2 of 5 lines)\n');
  });

  it('switchboard worker takes jobs from the queue without the HTTP server, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'worker', '--concurrency', '1'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url!, REDIS_URL: redisUrl, PORT: '0', LOG_LEVEL: 'info', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let requester: JobQueue | undefined;
    let hot: RedisHotStore | undefined;
    try {
      await waitFor(() => out.includes('worker ready: BullMQ jobs on Redis'), 'the worker to be ready', 60_000);
      expect(out).not.toContain('listening');
      hot = await RedisHotStore.connect({ url: redisUrl, clock: new SystemClock() });
      requester = createJobQueue({ jobs: new JobRepo(t.db, new SystemClock()), hot, clock: new SystemClock(), logger: silentLogger(), redisUrl, work: false });
      await requester.start();
      const r = await requester.enqueue('no-such-kind', {}, { requestedBy: 'cli', idempotencyKey: 'worker-1' });
      if ('refused' in r) throw new Error('refused');
      const done = await waitFor(async () => {
        const j = await requester!.get(r.job.id);
        return j?.status === 'failed' ? j : undefined;
      }, 'the worker to take the job');
      expect(done.workerId).toContain(`:${child.pid}:`);
      expect(done.error).toMatchObject({ code: 'no_handler' });
    } finally {
      await requester?.stop();
      await hot?.close();
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('worker stopped');
  });
});

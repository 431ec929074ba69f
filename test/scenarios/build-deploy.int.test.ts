import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initDemo } from '../../bin/commands/demo.js';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { createServiceHttpServer } from '../../bot/service.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { JobRepo, RedisHotStore, type Stores } from '../../store/index.js';
import { loadAppCatalog } from '../../tools/apps/index.js';
import { createJobQueue } from '../../tools/jobs/index.js';
import { deleteRedisKeys } from '../tools/jobs/job-queue.contract.js';
import { describeNeeding } from '../support/needs.js';
import { postgresTestDatabase, REDIS_URL, uniqueName, type TestDatabase } from '../support/services.js';
import { testConfig } from '../support/test-config.js';

/**
 * The demo app built and deployed from the chat with the jobs on BullMQ (Redis) and the records in
 * PostgreSQL. The service only enqueues; a second job queue stands in for `switchboard worker` (a bot
 * built, not started, on it: exactly what the worker command does) and runs every job. Progress reaches
 * the chat through Redis pub/sub.
 */
describeNeeding('postgres', 'redis')('build and deploy on BullMQ and PostgreSQL', () => {
  const clock = new SystemClock();
  const prefix = uniqueName('sbdeploy');
  let t: TestDatabase;
  let hot: RedisHotStore;
  let stores: Stores;
  let dataDir: string;
  let bot: Bot;
  let http: FastifyInstance;
  let worker: ReturnType<typeof createJobQueue>;

  beforeAll(async () => {
    t = await postgresTestDatabase();
    hot = await RedisHotStore.connect({ url: REDIS_URL, clock, prefix: `${prefix}:` });
    stores = { db: t.db, hot, dataDirLock: undefined, close: async () => {} };
    dataDir = mkdtempSync(path.join(tmpdir(), 'sb-deploy-int-'));
    const catalogFile = path.join(dataDir, 'apps.json');
    initDemo({ dataDir, catalogFile });
    const config = testConfig({ WEBCHAT_DEFAULT_ROLE: 'developer', DATA_DIR: dataDir, APPS_FILE: catalogFile });
    const queue = (work: boolean) =>
      createJobQueue({ jobs: new JobRepo(t.db, clock), hot, clock, logger: silentLogger(), redisUrl: REDIS_URL, bullPrefix: `${prefix}-bull`, stopGraceMs: 1_000, work });
    worker = queue(true);
    createBot({ config, logger: silentLogger(), clock, stores, jobQueue: worker, handler: { handle: async () => [] }, appCatalog: loadAppCatalog(config) });
    await worker.start();
    bot = createBot({ config, logger: silentLogger(), clock, stores, understander: OfflineUnderstander.train(), jobQueue: queue(false), appCatalog: loadAppCatalog(config) });
    await bot.start();
    http = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot, stores });
  }, 60_000);
  afterAll(async () => {
    await http?.close();
    await bot?.stop();
    await worker?.stop();
    await hot?.close();
    await t?.close();
    await deleteRedisKeys(REDIS_URL, prefix);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function say(text: string): Promise<string> {
    const response = await http.inject({ method: 'POST', url: '/api/converse', payload: { user: 'ana', name: 'Ana', text, conversation: 'ops' } });
    expect(response.statusCode).toBe(200);
    return (response.json() as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  }
  async function waitForPost(pattern: RegExp): Promise<string> {
    const until = Date.now() + 30_000;
    for (;;) {
      const { rows } = await t.db.query<{ text: string }>(
        `SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = 'ops' AND m.kind = 'notification' ORDER BY m.created_at`,
      );
      const hit = rows.find((r) => pattern.test(r.text));
      if (hit) return hit.text;
      if (Date.now() > until) throw new Error(`no message matching ${pattern}: ${rows.map((r) => r.text).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('builds and deploys to staging on the worker; served, and the progress told once in the chat', { timeout: 90_000 }, async () => {
    const commit = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: path.join(dataDir, 'demo', 'demo-site'), encoding: 'utf8' }).trim();
    expect(await say('build demo-site')).toMatch(/^Started building demo-site at main \(run #[0-9a-f]{8}\)/);
    expect(await waitForPost(/^✅ Built demo-site/)).toContain(`at ${commit}`);
    expect(await say('deploy demo-site to staging')).toMatch(/^Started deploying [0-9a-f]{7} of demo-site to staging/);
    await waitForPost(/^✅ demo-site is live on staging/);
    expect(readFileSync(path.join(dataDir, 'demo', 'sites', 'staging', 'current', 'version.txt'), 'utf8').trim()).toBe(commit);
    const { rows } = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE kind = 'notification' AND text LIKE '✅ demo-site is live on staging%'`);
    expect(Number(rows[0]!.n)).toBe(1);
    // every job ran on the worker's queue, none on the service's
    const runs = await bot.jobs.list({});
    expect(runs.map((j) => j.workerId)).toEqual([worker.workerId, worker.workerId]);
  });
});

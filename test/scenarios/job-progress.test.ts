import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { JobProgress } from '../../bot/job-progress.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { NotificationRepo, type Stores } from '../../store/index.js';
import { loadAppCatalog } from '../../tools/apps/index.js';
import { createBuildProviders, MemorySandboxStore } from '../../tools/build/index.js';
import { createDeployProviders } from '../../tools/deploy/index.js';
import type { JobEvent, JobRecord } from '../../tools/jobs/index.js';
import { memoryStores } from '../support/memory-stores.js';
import { testConfig } from '../support/test-config.js';

/**
 * The job-progress bridge: job events become messages in the conversation that asked, once per event
 * id however many instances hear it; outcomes go to subscribed chats, not twice to the one that asked;
 * a failure says its step and the last lines of its log.
 */
const clock = new SystemClock();
let stores: Stores;
let bot: Bot;
let dir: string;
const deploys = () => createDeployProviders({ dataDir: dir, sandboxStore: new MemorySandboxStore(), sandboxStepDelayMs: 10 });

beforeAll(async () => {
  stores = await memoryStores(clock);
  dir = mkdtempSync(path.join(tmpdir(), 'sb-progress-'));
  const file = path.join(dir, 'apps.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'acme-shop', build: { provider: 'sandbox', commands: ['npm run build'] } }] }));
  bot = createBot({
    config: testConfig({ DATA_DIR: dir }),
    logger: silentLogger(),
    clock,
    stores,
    handler: { handle: async () => [] },
    appCatalog: loadAppCatalog({ appsFile: { path: file, fromSetting: true }, apps: [], appsFromSetting: false }),
    buildProviders: createBuildProviders({ dataDir: dir, sandboxStepDelayMs: 10 }),
    deployProviders: deploys(),
  });
  await bot.start();
});
afterAll(async () => {
  await bot.stop();
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

async function texts(conversationId: string): Promise<string[]> {
  const { rows } = await stores.db.query<{ text: string }>(`SELECT text FROM messages WHERE conversation_id = $1 AND kind = 'notification' ORDER BY created_at, id`, [conversationId]);
  return rows.map((r) => r.text);
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function bridge(): JobProgress {
  return new JobProgress({
    jobs: bot.jobs,
    hot: stores.hot,
    messages: bot.messages,
    conversations: bot.conversations,
    notificationRepo: new NotificationRepo(stores.db, clock),
    notifications: bot.notifications,
    outbox: bot.outbox,
    catalog: bot.appCatalog,
    deploys: deploys(),
    logger: silentLogger(),
  });
}

describe('job progress', () => {
  it('a failed build tells the requester the step and the last lines of its log', async () => {
    const ana = await bot.people.resolve('webchat', 'ana-1', 'Ana', 'developer');
    const conversation = await bot.conversations.ensure('webchat', 'ana-1');
    const queued = await bot.jobs.enqueue('build', { app: 'acme-shop', ref: 'fail-on-purpose', sandbox: true }, { requestedBy: ana.id, conversationId: conversation.id, idempotencyKey: 'progress-1' });
    expect('job' in queued).toBe(true);
    const all = await until(() => texts(conversation.id), (t) => t.some((x) => x.includes('failed')));
    const failed = all.find((t) => t.includes('failed'))!;
    expect(failed).toMatch(/^SANDBOX: ❌ The build of acme-shop failed at step "run npm run build" after .+ \(run #[0-9a-f]{8}\): /);
    expect(failed).toContain('fail-on-purpose does not build');
    expect(failed).toMatch(/switchboard runs logs [0-9a-f]{8} shows the whole log/);
    // steps came first, in order, each once
    expect(all.slice(0, 2)).toEqual([expect.stringMatching(/: checkout…$/), expect.stringMatching(/: run npm run build…$/)]);
  });

  it('says each event once in the asking conversation however many instances hear it, and tells subscribers, not the asker twice', async () => {
    const ana = await bot.people.resolve('webchat', 'ana-2', 'Ana', 'developer');
    const asking = await bot.conversations.ensure('webchat', 'ana-2');
    const team = await bot.conversations.ensure('webchat', 'team-room');
    const repo = new NotificationRepo(stores.db, clock);
    await repo.subscribe(asking.id, ['deploy.live'], ana.id);
    await repo.subscribe(team.id, ['deploy.live'], ana.id);
    const job: JobRecord = {
      id: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      kind: 'deploy',
      status: 'succeeded',
      params: { app: 'acme-shop', env: 'production', sandbox: true },
      result: { app: 'acme-shop', env: 'production', commit: 'e4f5a6b7c8d9', releaseId: 'r2', buildId: 'b' },
      requestedBy: ana.id,
      requesterName: 'Ana',
      conversationId: asking.id,
      idempotencyKey: 'k',
      steps: [],
      createdAt: Date.now() - 5_000,
      startedAt: Date.now() - 4_000,
      endedAt: Date.now(),
      logLines: 0,
    };
    const event: JobEvent = { id: `job.succeeded:${job.id}`, type: 'job.succeeded', job, at: Date.now() };
    const [one, two] = [bridge(), bridge()];
    await Promise.all([one.handle(event), two.handle(event), one.handle(event)]);
    expect(await texts(asking.id)).toEqual([`SANDBOX: ✅ acme-shop is live on production: e4f5a6b (release r2), deployed in 4 s (run #0f1e2d3c).`]);
    expect(await until(() => texts(team.id), (t) => t.length > 0)).toEqual([`SANDBOX: ✅ acme-shop is live on production: e4f5a6b (run #0f1e2d3c, by Ana).`]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { JobProgress } from '../../bot/job-progress.js';
import { createServiceHttpServer } from '../../bot/service.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { NotificationRepo, type Stores } from '../../store/index.js';
import { loadAppCatalog } from '../../tools/apps/index.js';
import { createBuildProviders, MemorySandboxStore } from '../../tools/build/index.js';
import { createDeployProviders } from '../../tools/deploy/index.js';
import type { JobEvent, JobRecord } from '../../tools/jobs/index.js';
import { memoryStores } from '../support/memory-stores.js';
import { testConfig } from '../support/test-config.js';

/**
 * The events DESIGN.md names reach the chats that asked for them in their own words: "notify me here
 * when a build passes" gets `build.succeeded`, "tell me when anything gets rolled back" gets
 * `deploy.rolled_back`, each once; a chat subscribed under the old name `build.finished` still hears
 * successful builds.
 */
const clock = new SystemClock();
let stores: Stores;
let bot: Bot;
let http: FastifyInstance;
let dir: string;
const deploys = () => createDeployProviders({ dataDir: dir, sandboxStore: new MemorySandboxStore(), sandboxStepDelayMs: 10 });

beforeAll(async () => {
  stores = await memoryStores(clock);
  dir = mkdtempSync(path.join(tmpdir(), 'sb-notify-events-'));
  const file = path.join(dir, 'apps.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'acme-shop', build: { provider: 'sandbox', commands: ['npm run build'] } }] }));
  const config = testConfig({ DATA_DIR: dir, WEBCHAT_DEFAULT_ROLE: 'developer' });
  bot = createBot({
    config,
    logger: silentLogger(),
    clock,
    stores,
    understander: OfflineUnderstander.train(),
    appCatalog: loadAppCatalog({ appsFile: { path: file, fromSetting: true }, apps: [], appsFromSetting: false }),
    buildProviders: createBuildProviders({ dataDir: dir, sandboxStepDelayMs: 10 }),
    deployProviders: deploys(),
  });
  await bot.start();
  http = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot, stores });
}, 60_000);
afterAll(async () => {
  await http?.close();
  await bot?.stop();
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function say(conversation: string, text: string): Promise<string> {
  const response = await http.inject({ method: 'POST', url: '/api/converse', payload: { user: 'ana', name: 'Ana', text, conversation } });
  expect(response.statusCode).toBe(200);
  return (response.json() as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
}

async function notifications(conversation: string): Promise<string[]> {
  const { rows } = await stores.db.query<{ text: string }>(
    `SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE c.channel = 'webchat' AND c.external_id = $1 AND m.kind = 'notification' ORDER BY m.created_at, m.id`,
    [conversation],
  );
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

describe('build.succeeded and deploy.rolled_back notifications', () => {
  it('"notify me here when a build passes": a successful build reaches that chat once, and a chat on the old name build.finished too', async () => {
    expect(await say('builds-room', 'notify me here when a build passes')).toBe('Done: this chat will get notifications about builds succeeding.');
    const legacy = await bot.conversations.ensure('webchat', 'legacy-room');
    await new NotificationRepo(stores.db, clock).subscribe(legacy.id, ['build.finished'], null);

    expect(await say('ops', 'build acme-shop')).toMatch(/Started building acme-shop/);
    const [built] = await until(() => notifications('builds-room'), (t) => t.length > 0);
    expect(built).toMatch(/^SANDBOX: ✅ Built acme-shop at [0-9a-f]{7} \(run #[0-9a-f]{8}, by Ana\)\.$/);
    expect(await until(() => notifications('legacy-room'), (t) => t.length > 0)).toEqual([built]);
    // Nothing else arrives: once per chat, whichever names it was subscribed under.
    await new Promise((r) => setTimeout(r, 300));
    expect(await notifications('builds-room')).toEqual([built]);
    expect(await notifications('legacy-room')).toEqual([built]);
  });

  it('"tell me when anything gets rolled back": a rollback reaches that chat once', async () => {
    expect(await say('rollback-watch', 'tell me when anything gets rolled back')).toBe('Done: this chat will get notifications about rollbacks.');
    const ana = await bot.people.resolve('webchat', 'ana', 'Ana', 'developer');
    const job: JobRecord = {
      id: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
      kind: 'rollback',
      status: 'succeeded',
      params: { app: 'acme-shop', env: 'production', sandbox: true },
      result: { app: 'acme-shop', env: 'production', commit: 'a1b2c3d4e5f6', releaseId: 'r1' },
      requestedBy: ana.id,
      requesterName: 'Ana',
      idempotencyKey: 'rollback-notify-1',
      steps: [],
      createdAt: Date.now() - 3_000,
      startedAt: Date.now() - 2_000,
      endedAt: Date.now(),
      logLines: 0,
    };
    const progress = new JobProgress({
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
    const event: JobEvent = { id: `job.succeeded:${job.id}`, type: 'job.succeeded', job, at: Date.now() };
    await Promise.all([progress.handle(event), progress.handle(event)]);
    const expected = 'SANDBOX: ↩️ acme-shop on production was rolled back to a1b2c3d (run #5a6b7c8d, by Ana).';
    expect(await until(() => notifications('rollback-watch'), (t) => t.length > 0)).toEqual([expected]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await notifications('rollback-watch')).toEqual([expected]);
    // The builds-only chat did not hear it.
    expect((await notifications('builds-room')).some((t) => t.includes('rolled back'))).toBe(false);
  });
});

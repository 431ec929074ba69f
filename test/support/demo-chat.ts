import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { initDemo } from '../../bin/commands/demo.js';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { createServiceHttpServer } from '../../bot/service.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Stores } from '../../store/open-stores.js';
import { loadAppCatalog } from '../../tools/apps/index.js';
import { createBuildProviders, MemorySandboxStore } from '../../tools/build/index.js';
import { createDeployProviders } from '../../tools/deploy/index.js';
import { memoryStores } from './memory-stores.js';
import { testConfig } from './test-config.js';

/**
 * The demo app (`switchboard demo init`) built and deployed for real by the local providers, talked to
 * through the converse API of a whole bot on PGlite with the in-process job runner. Progress is read
 * from the messages the job bridge stores for a conversation. Shared by the build/deploy scenarios.
 *
 * @example
 * const demo = new DemoChat();
 * beforeAll(() => demo.open()); afterAll(() => demo.close()); afterEach(() => demo.cleanup());
 * await demo.freshBot(); await demo.say('ana', 'build demo-site', 'ops');
 */
export class DemoChat {
  readonly clock = new SystemClock();
  readonly understander = OfflineUnderstander.train();
  readonly sandbox = new MemorySandboxStore();
  stores!: Stores;
  dataDir = '';
  catalogFile = '';
  bot: Bot | undefined;
  http: FastifyInstance | undefined;

  open = async (): Promise<void> => {
    this.stores = await memoryStores(this.clock);
  };

  close = async (): Promise<void> => {
    await this.stopBot();
    await this.stores.close();
  };

  /** After each test: the bot stopped, its data folder removed. */
  cleanup = async (): Promise<void> => {
    await this.stopBot();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  };

  startBot = async (): Promise<void> => {
    const { clock, dataDir, stores } = this;
    const config = testConfig({ WEBCHAT_DEFAULT_ROLE: 'developer', DATA_DIR: dataDir, APPS: 'soarix-web,acme-shop' });
    const appCatalog = loadAppCatalog({ ...config, appsFile: { path: this.catalogFile, fromSetting: true } });
    this.bot = createBot({
      config,
      logger: silentLogger(),
      clock,
      stores,
      understander: this.understander,
      appCatalog,
      buildProviders: createBuildProviders({ dataDir, sandboxStepDelayMs: 300 }),
      deployProviders: createDeployProviders({ dataDir, sandboxStore: this.sandbox, sandboxStepDelayMs: 300 }),
    });
    await this.bot.start();
    this.http = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot: this.bot, stores });
    await this.bot.people.grant('webchat', 'boss', 'admin');
  };

  stopBot = async (): Promise<void> => {
    await this.http?.close();
    await this.bot?.stop();
    this.http = undefined;
    this.bot = undefined;
  };

  /** Empty tables, a new data folder with the demo app in it, and a bot started on them. */
  freshBot = async (): Promise<void> => {
    await this.stopBot();
    const { rows } = await this.stores.db.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
       WHERE schemaname IN ('public', 'langgraph') AND tablename NOT IN ('schema_migrations', 'roles', 'checkpoint_migrations')`,
    );
    if (rows.length) await this.stores.db.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
    (this.stores as { hot: Stores['hot'] }).hot = new MemoryHotStore(this.clock);
    this.dataDir = mkdtempSync(path.join(tmpdir(), 'sb-deploy-'));
    this.catalogFile = path.join(this.dataDir, 'apps.json');
    initDemo({ dataDir: this.dataDir, catalogFile: this.catalogFile });
    await this.startBot();
  };

  /** One turn through POST /api/converse; the replies joined. */
  say = async (user: string, text: string, conversation?: string): Promise<string> => {
    const response = await this.http!.inject({
      method: 'POST',
      url: '/api/converse',
      headers: { 'content-type': 'application/json' },
      payload: { user, name: user[0]!.toUpperCase() + user.slice(1), text, ...(conversation ? { conversation } : {}) },
    });
    expect(response.statusCode).toBe(200);
    return (response.json() as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  };

  /** What the bridge posted to a web chat conversation (progress and outcomes), oldest first. */
  posted = async (conversation: string): Promise<string[]> => {
    const { rows } = await this.stores.db.query<{ text: string }>(
      `SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = 'webchat' AND c.external_id = $1 AND m.kind = 'notification' ORDER BY m.created_at, m.id`,
      [conversation],
    );
    return rows.map((r) => r.text);
  };

  waitForPost = async (conversation: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = (await this.posted(conversation)).find((t) => pattern.test(t));
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`no message matching ${pattern} in ${conversation}; got:\n${(await this.posted(conversation)).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  sites = (): string => path.join(this.dataDir, 'demo', 'sites');
  liveFile = (env: string, file: string): string => readFileSync(path.join(this.sites(), env, 'current', file), 'utf8').trim();
  /** What the service itself serves for the demo site (GET /sites/:app/:env/*, tools/deploy/serve-local-sites.ts). */
  served = async (env: string, file = ''): Promise<string> => (await this.http!.inject({ method: 'GET', url: `/sites/demo-site/${env}/${file}` })).body;
}

/** The CONFIRM phrase a restatement asks for. */
export const phraseIn = (reply: string): string | undefined => /^(CONFIRM [A-Z0-9 .:_@-]+)$/m.exec(reply)?.[1];

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd, encoding: 'utf8' }).trim();

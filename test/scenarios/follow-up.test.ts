import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initDemo } from '../../bin/commands/demo.js';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { createServiceHttpServer } from '../../bot/service.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Stores } from '../../store/open-stores.js';
import { JobRepo } from '../../store/index.js';
import { addAppToCatalogFile, loadAppCatalog } from '../../tools/apps/index.js';
import { createBuildProviders, MemorySandboxStore } from '../../tools/build/index.js';
import { createDeployProviders } from '../../tools/deploy/index.js';
import { memoryStores } from '../support/memory-stores.js';
import { testConfig } from '../support/test-config.js';

/**
 * Follow-ups from the web chat, the way a busy person types them ("deploy it to staging", "now prod",
 * "how did it go?", "roll it back"), on the demo app built and deployed for real by the local providers
 * (PGlite, in-process job runner): each takes the app (and environment) from the person's last request in
 * this conversation and says so, a risky one restates the carried app with its phrase, and nobody else's
 * request (another person in the group chat, another conversation) is carried over.
 */
const understander = OfflineUnderstander.train();
const clock = new SystemClock();
let stores: Stores;
let dataDir: string;
let catalogFile: string;
let bot: Bot | undefined;
let http: FastifyInstance | undefined;

async function startBot(): Promise<void> {
  const config = testConfig({ WEBCHAT_DEFAULT_ROLE: 'developer', DATA_DIR: dataDir, APPS: 'soarix-web,acme-shop' });
  const appCatalog = loadAppCatalog({ ...config, appsFile: { path: catalogFile, fromSetting: true } });
  bot = createBot({
    config,
    logger: silentLogger(),
    clock,
    stores,
    understander,
    appCatalog,
    buildProviders: createBuildProviders({ dataDir, sandboxStepDelayMs: 300 }),
    deployProviders: createDeployProviders({ dataDir, sandboxStore: sandbox, sandboxStepDelayMs: 300 }),
  });
  await bot.start();
  http = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot, stores });
  await bot.people.grant('webchat', 'boss', 'admin');
}
const sandbox = new MemorySandboxStore();

async function stopBot(): Promise<void> {
  await http?.close();
  await bot?.stop();
  http = undefined;
  bot = undefined;
}

async function say(user: string, text: string, conversation?: string): Promise<string> {
  const response = await http!.inject({
    method: 'POST',
    url: '/api/converse',
    headers: { 'content-type': 'application/json' },
    payload: { user, name: user[0]!.toUpperCase() + user.slice(1), text, ...(conversation ? { conversation } : {}) },
  });
  expect(response.statusCode).toBe(200);
  return (response.json() as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
}

/** What the bridge posted to a web chat conversation (progress and outcomes), oldest first. */
async function posted(conversation: string): Promise<string[]> {
  const { rows } = await stores.db.query<{ text: string }>(
    `SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE c.channel = 'webchat' AND c.external_id = $1 AND m.kind = 'notification' ORDER BY m.created_at, m.id`,
    [conversation],
  );
  return rows.map((r) => r.text);
}

async function waitForPost(conversation: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await posted(conversation)).find((t) => pattern.test(t));
    if (hit) return hit;
    if (Date.now() > until) throw new Error(`no message matching ${pattern} in ${conversation}; got:\n${(await posted(conversation)).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const phraseIn = (reply: string) => /^(CONFIRM [A-Z0-9 .:_@-]+)$/m.exec(reply)?.[1];
const sites = () => path.join(dataDir, 'demo', 'sites');
const liveFile = (env: string, file: string) => readFileSync(path.join(sites(), env, 'current', file), 'utf8').trim();
/** What the service itself serves for the demo site (GET /sites/:app/:env/*, tools/deploy/serve-local-sites.ts). */
const served = async (env: string, file = '') => (await http!.inject({ method: 'GET', url: `/sites/demo-site/${env}/${file}` })).body;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd, encoding: 'utf8' }).trim();

beforeAll(async () => {
  stores = await memoryStores(clock);
});
afterAll(async () => {
  await stopBot();
  await stores.close();
});

async function freshBot(): Promise<void> {
  await stopBot();
  const { rows } = await stores.db.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
     WHERE schemaname IN ('public', 'langgraph') AND tablename NOT IN ('schema_migrations', 'roles', 'checkpoint_migrations')`,
  );
  if (rows.length) await stores.db.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
  (stores as { hot: Stores['hot'] }).hot = new MemoryHotStore(clock);
  dataDir = mkdtempSync(path.join(tmpdir(), 'sb-deploy-'));
  catalogFile = path.join(dataDir, 'apps.json');
  initDemo({ dataDir, catalogFile });
  await startBot();
}
afterEach(async () => {
  await stopBot();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('follow-ups in the web chat', () => {
  it('"deploy it to staging", "now prod", "how did it go?", "roll it back": each names the app it took, and does it', { timeout: 120_000 }, async () => {
    await freshBot();
    const repo = path.join(dataDir, 'demo', 'demo-site');
    const first = git(repo, 'rev-parse', 'HEAD').slice(0, 7);

    expect(await say('ana', 'build demo-site', 'ops')).toMatch(/^Started building demo-site at main/);
    await waitForPost('ops', /Built demo-site/);

    // "it" is demo-site: said, then deployed for real.
    const staging = await say('ana', 'deploy it to staging', 'ops');
    expect(staging).toMatch(new RegExp(`^Taking this as demo-site \\(from your last request\\)\\.\\nStarted deploying ${first} of demo-site to staging`));
    await waitForPost('ops', /demo-site is live on staging/);
    expect(liveFile('staging', 'version.txt')).toBe(first);

    // Bob, in the same group chat, has no last request: he is asked, not given Ana's app.
    const bobs = await say('bob', 'deploy it to staging', 'ops');
    expect(bobs).toBe('Which app? (demo-site, soarix-web, acme-shop)');
    await say('bob', 'cancel', 'ops');

    // "now prod": risky, so the restatement names the carried app and the phrase is for it.
    const prompt = await say('ana', 'now prod', 'ops');
    expect(prompt).toMatch(/^Taking this as demo-site \(from your last request\)\.\nDeploy demo-site to production: build run #/);
    expect(phraseIn(prompt)).toBe('CONFIRM DEPLOY DEMO-SITE PRODUCTION');
    expect(await say('boss', 'CONFIRM DEPLOY DEMO-SITE PRODUCTION', 'ops')).toMatch(/Started deploying [0-9a-f]{7} of demo-site to production/);
    await waitForPost('ops', /demo-site is live on production/);
    expect(liveFile('production', 'version.txt')).toBe(first);

    // "how did it go?" after a deploy is about that deploy (demo-site on production), not the builds.
    const how = await say('ana', 'how did it go?', 'ops');
    expect(how).toMatch(/^Taking this as demo-site on production \(from your last request\)\./);
    expect(how).toContain(`demo-site production: ${first} live since`);

    // The admin who confirmed it: his "roll it back" is that deploy, restated with its phrase.
    const rollback = await say('boss', 'roll it back', 'ops');
    expect(rollback).toMatch(/^Taking this as demo-site on production \(from your last request\)\.\nRoll back demo-site on production/);
    expect(phraseIn(rollback)).toBe('CONFIRM ROLLBACK DEMO-SITE PRODUCTION');
    expect(await say('boss', 'cancel', 'ops')).toMatch(/^Cancelled: rollback\./);

    // Another conversation starts with nothing to refer back to.
    const elsewhere = await say('ana', 'deploy it to staging', 'ana-dm');
    expect(elsewhere).toBe('Which app? (demo-site, soarix-web, acme-shop)');
  });
});

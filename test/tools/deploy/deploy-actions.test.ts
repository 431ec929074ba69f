import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { MemoryHotStore } from '../../../store/hot/memory-hot-store.js';
import { ConversationRepo, JobRepo, PeopleRepo, type Person } from '../../../store/index.js';
import { loadAppCatalog, type AppCatalog } from '../../../tools/apps/index.js';
import {
  buildJobHandler,
  buildStatusAction,
  cancelRunAction,
  createBuildProviders,
  MemorySandboxStore,
  NOTHING_TO_CANCEL,
  startBuildAction,
} from '../../../tools/build/index.js';
import {
  createDeployAction,
  createDeployProviders,
  deployJobHandler,
  deployStatusAction,
  rollbackDeployAction,
  rollbackJobHandler,
} from '../../../tools/deploy/index.js';
import { createJobQueue, type JobQueue, type JobRecord } from '../../../tools/jobs/index.js';
import { RolePolicy, type ExecutionContext, type ToolAction, type ToolContext } from '../../../tools/index.js';
import { embeddedTestDatabase } from '../../support/services.js';

/**
 * The build and deploy tool actions against the real in-process job queue on PGlite and the sandbox
 * providers (whose state is real, in memory): what prepare resolves, the risk, the restatement, and what
 * execute answers (started, locked, queued behind).
 */
const clock = new SystemClock();
let t: Awaited<ReturnType<typeof embeddedTestDatabase>>;
let dir: string;
let catalog: AppCatalog;
let jobs: JobQueue;
let ana: Person;
let bob: Person;
let conversationId: string;
let seq = 0;

const deps = () => {
  const deploys = createDeployProviders({ dataDir: dir, sandboxStore: new MemorySandboxStore(), sandboxStepDelayMs: 150 });
  return { catalog, jobs, deploys };
};
let d: ReturnType<typeof deps>;

function ctx(actor: Person, text = ''): ToolContext & ExecutionContext {
  return { actor, conversationId, now: Date.now(), timezone: 'UTC', text, idempotencyKey: `test:${++seq}` };
}

async function prepared<P extends Record<string, unknown>>(action: ToolAction<P>, slots: Record<string, unknown>, c: ToolContext): Promise<P> {
  const result = await action.prepare(slots, c);
  if (!result.ok) throw new Error(`not prepared: ${JSON.stringify(result)}`);
  return result.params;
}

async function settled(jobId: string): Promise<JobRecord> {
  for (let i = 0; i < 200; i++) {
    const job = await jobs.get(jobId);
    if (job && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} did not end`);
}

beforeAll(async () => {
  t = await embeddedTestDatabase();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.db.query('TRUNCATE jobs, people, conversations RESTART IDENTITY CASCADE');
  dir = mkdtempSync(path.join(tmpdir(), 'sb-actions-'));
  const file = path.join(dir, 'apps.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'acme-shop', aliases: ['the shop'], build: { provider: 'sandbox', commands: ['npm run build'] } }, { name: 'soarix-web' }] }));
  catalog = loadAppCatalog({ appsFile: { path: file, fromSetting: true }, apps: [], appsFromSetting: false });
  d = deps();
  const builds = createBuildProviders({ dataDir: dir, sandboxStepDelayMs: 20 });
  jobs = createJobQueue({ jobs: new JobRepo(t.db, clock), hot: new MemoryHotStore(clock), clock, logger: silentLogger(), soleProcess: true });
  jobs.register(buildJobHandler({ catalog, builds }) as never);
  jobs.register(deployJobHandler({ catalog, builds, deploys: d.deploys }) as never);
  jobs.register(rollbackJobHandler({ catalog, builds, deploys: d.deploys }) as never);
  await jobs.start();
  d = { ...d, jobs };
  const people = new PeopleRepo(t.db, clock);
  ana = await people.resolve('webchat', 'ana', 'Ana', 'developer');
  bob = await people.resolve('webchat', 'bob', 'Bob', 'developer');
  conversationId = (await new ConversationRepo(t.db, clock).ensure('webchat', 'ops')).id;
});
afterEach(async () => {
  await jobs.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function build(ref = 'main', app = 'acme-shop'): Promise<JobRecord> {
  const action = startBuildAction(d);
  const result = await action.execute(await prepared(action, { app, ref }, ctx(ana)), ctx(ana));
  return settled((result.data as { jobId: string }).jobId);
}

describe('deploy.create', () => {
  it('resolves an alias, ships the latest successful build, and is safe on staging and risky on production', async () => {
    const built = await build();
    expect(built.status).toBe('succeeded');
    const action = createDeployAction(d);
    const staging = await prepared(action, { app: 'the shop', env: 'staging' }, ctx(ana));
    expect(staging).toMatchObject({ app: 'acme-shop', env: 'staging', buildId: built.id, sandbox: true, live: null, warning: null });
    expect(action.risk(staging)).toBe('safe');
    const production = await prepared(action, { app: 'acme-shop', env: 'production' }, ctx(ana));
    expect(action.risk(production)).toBe('risky');
    expect(action.phrase(production)).toEqual({ verb: 'deploy', target: 'acme-shop', qualifier: 'production' });
    expect(action.plan(production)).toMatch(/^SANDBOX: Deploy acme-shop to production: build run #[0-9a-f]{8} \(commit [0-9a-f]{7}, main\)\.\nNothing is live on production yet\.\nWhat changes: nothing → [0-9a-f]{7}\.$/);
  });

  it('without a successful build, says it builds first; an unknown app or a missing environment is asked or refused', async () => {
    const action = createDeployAction(d);
    const p = await prepared(action, { app: 'soarix-web', env: 'staging' }, ctx(ana));
    expect(p.buildId).toBeNull();
    expect(action.plan(p)).toContain('main, built first (no successful build of soarix-web yet)');
    expect(await action.prepare({ app: 'nope' }, ctx(ana))).toEqual({ ok: false, refusal: `I don't know an app called "nope". The apps I know: acme-shop, soarix-web.` });
    expect(await action.prepare({ app: 'acme-shop' }, ctx(ana))).toMatchObject({ ok: false, slot: 'env' });
  });

  it('refuses a build that failed, naming the step', async () => {
    const failed = await build('fail-on-purpose');
    expect(failed.status).toBe('failed');
    const refusal = await createDeployAction(d).prepare({ app: 'acme-shop', env: 'staging', ref: failed.id.slice(0, 8) }, ctx(ana));
    expect(refusal).toEqual({ ok: false, refusal: expect.stringMatching(/^SANDBOX: Build run #[0-9a-f]{8} of acme-shop failed at step "[^"]+", so I won't deploy it\./) });
  });

  it('deploys, then restates what is live (commit, since, by whom); an older build than what is live needs the phrase with the warning', async () => {
    const older = await build('v1');
    const newer = await build('v2');
    const action = createDeployAction(d);
    const first = await action.execute(await prepared(action, { app: 'acme-shop', env: 'staging', ref: newer.id.slice(0, 8) }, ctx(ana)), ctx(ana));
    expect(first.summary).toMatch(/^SANDBOX: Started deploying [0-9a-f]{7} of acme-shop to staging \(run #[0-9a-f]{8}\)/);
    expect((await settled((first.data as { jobId: string }).jobId)).status).toBe('succeeded');

    const back = await prepared(action, { app: 'acme-shop', env: 'staging', ref: older.id.slice(0, 8) }, ctx(bob));
    const newCommit = (newer.result as { commit: string }).commit.slice(0, 7);
    const oldCommit = (older.result as { commit: string }).commit.slice(0, 7);
    expect(back.live).toMatchObject({ commit: (newer.result as { commit: string }).commit, by: 'Ana' });
    expect(action.risk(back)).toBe('risky');
    const plan = action.plan(back);
    expect(plan).toMatch(new RegExp(`Live there now: ${newCommit} since \\d\\d:\\d\\d UTC, deployed by Ana\\.`));
    expect(plan).toContain(`What changes: ${newCommit} → ${oldCommit}.`);
    expect(plan).toMatch(new RegExp(`⚠️ This build \\(${oldCommit}, .+\\) is older than what is live \\(${newCommit}, built .+\\)\\.`));
  });

  it('a second deploy while one holds the lock is told who, since when, doing what; with "after it" it queues behind', async () => {
    await build();
    const action = createDeployAction(d);
    const first = await action.execute(await prepared(action, { app: 'acme-shop', env: 'staging' }, ctx(ana)), ctx(ana));
    const firstId = (first.data as { jobId: string }).jobId;
    const refused = await action.execute(await prepared(action, { app: 'acme-shop', env: 'staging' }, ctx(bob)), ctx(bob));
    expect(refused.summary).toMatch(
      new RegExp(`^SANDBOX: I can't deploy acme-shop to staging right now: Ana has been deploying [0-9a-f]{7} of acme-shop to staging since \\d\\d:\\d\\d UTC \\(run #${firstId.slice(0, 8)}\\)\\.`),
    );
    const queued = await action.execute(await prepared(action, { app: 'acme-shop', env: 'staging' }, ctx(bob, 'deploy the shop to staging after it')), ctx(bob));
    expect(queued.summary).toMatch(/^SANDBOX: Queued the deploy of [0-9a-f]{7} of acme-shop to staging \(run #[0-9a-f]{8}\); it starts when the one under way ends\./);
    // "is anyone deploying the shop?"
    const status = await deployStatusAction(d).execute(await prepared(deployStatusAction(d), { app: 'acme-shop' }, ctx(bob)), ctx(bob));
    expect(status.summary).toMatch(/^Right now:\n• SANDBOX: acme-shop staging: Ana has been deploying/);
    expect((await settled(firstId)).status).toBe('succeeded');
    expect((await settled((queued.data as { jobId: string }).jobId)).status).toBe('succeeded');
    const after = await deployStatusAction(d).execute(await prepared(deployStatusAction(d), { app: 'acme-shop', env: 'staging' }, ctx(bob)), ctx(bob));
    expect(after.summary).toMatch(/^Nobody is deploying acme-shop on staging right now\.\n• SANDBOX: acme-shop staging: [0-9a-f]{7} live since .+, deployed by Bob\n {4}deploy run #[0-9a-f]{8}: live [0-9a-f]{7}/);
    // "what's live on staging?": what is live, not every app that has nothing there
    const everywhere = await deployStatusAction(d).execute(await prepared(deployStatusAction(d), { env: 'staging' }, ctx(bob)), ctx(bob));
    expect(everywhere.summary).toMatch(/^Nobody is deploying any app on staging right now\.\n• SANDBOX: acme-shop staging: [0-9a-f]{7} live since .+, deployed by Bob$/);
  });
});

describe('deploy.rollback', () => {
  it('refuses with nothing live; after two deploys, restates the way back and is risky on production only', async () => {
    const action = rollbackDeployAction(d);
    expect(await action.prepare({ app: 'acme-shop', env: 'production' }, ctx(ana))).toEqual({ ok: false, refusal: 'SANDBOX: Nothing is live on acme-shop production, so there is nothing to roll back.' });
    const deploy = createDeployAction(d);
    for (const ref of ['v1', 'v2']) {
      const b = await build(ref);
      const r = await deploy.execute(await prepared(deploy, { app: 'acme-shop', env: 'production', ref: b.id.slice(0, 8) }, ctx(ana)), ctx(ana));
      await settled((r.data as { jobId: string }).jobId);
    }
    const p = await prepared(action, { app: 'acme-shop', env: 'production' }, ctx(bob));
    expect(action.risk(p)).toBe('risky');
    expect(action.risk({ ...p, env: 'staging' })).toBe('safe');
    expect(action.phrase(p)).toEqual({ verb: 'rollback', target: 'acme-shop', qualifier: 'production' });
    expect(action.plan(p)).toMatch(/^SANDBOX: Roll back acme-shop on production to the previous good release \([0-9a-f]{7}, deployed .+ by Ana\)\.\nLive there now: ([0-9a-f]{7}) since .+, deployed by Ana\.\nWhat changes: \1 → [0-9a-f]{7}\.$/);
    const done = await action.execute(p, ctx(bob));
    const job = await settled((done.data as { jobId: string }).jobId);
    expect(job.status).toBe('succeeded');
    expect((job.result as { commit: string }).commit).toBe(p.previous!.commit);
  });
});

describe('build.start, build.status and run.cancel', () => {
  it('starts a build of the default branch, lists it, and cancels only what is running', async () => {
    const start = startBuildAction(d);
    const p = await prepared(start, { app: 'soarix-web' }, ctx(ana));
    expect(p).toEqual({ app: 'soarix-web', ref: 'main', provider: 'sandbox', sandbox: true });
    expect(start.risk(p)).toBe('safe');
    const cancel = cancelRunAction(d);
    expect(await cancel.prepare({}, ctx(ana, 'cancel the build'))).toEqual({ ok: false, refusal: 'There is no build running to cancel.' });
    expect(await cancel.prepare({}, ctx(ana, 'cancel'))).toEqual({ ok: false, refusal: NOTHING_TO_CANCEL });

    // a slow build (deploys build first when there is no build: the deploy job is what runs)
    const slow = await createDeployAction(d).execute(await prepared(createDeployAction(d), { app: 'soarix-web', env: 'preview' }, ctx(ana)), ctx(ana));
    const slowId = (slow.data as { jobId: string }).jobId;
    // Bob's "cancel the deploy" finds Ana's run of the app he names: risky, the phrase
    const bobs = await prepared(cancel, {}, ctx(bob, 'cancel the deploy of soarix-web'));
    expect(bobs).toMatchObject({ jobId: slowId, own: false });
    expect(cancel.risk(bobs)).toBe('risky');
    // only an admin or owner may confirm stopping someone else's run (it frees the lock it holds)
    const policy = new RolePolicy();
    expect(policy.mayConfirm({ action: 'run.cancel', risk: 'risky', confirmer: bob, requesterId: bob.id })).toBe(false);
    expect(policy.mayConfirm({ action: 'run.cancel', risk: 'risky', confirmer: { id: 'x', role: 'admin' }, requesterId: bob.id })).toBe(true);
    expect(cancel.plan(bobs)).toBe(`SANDBOX: Cancel the deploy of soarix-web to preview (run #${slowId.slice(0, 8)}), started by Ana.`);
    // Ana's own run: safe, and stopped
    const own = await prepared(cancel, {}, ctx(ana, 'cancel it'));
    expect(cancel.risk(own)).toBe('safe');
    expect((await cancel.execute(own, ctx(ana))).summary).toMatch(/^SANDBOX: (Cancelled|Stopping) the deploy of soarix-web to preview/);
    expect((await settled(slowId)).status).toBe('cancelled');

    const built = await build('main', 'soarix-web');
    const status = await buildStatusAction(d).execute(await prepared(buildStatusAction(d), { app: 'soarix-web' }, ctx(ana)), ctx(ana));
    expect(status.summary).toMatch(new RegExp(`^Latest builds of soarix-web:\\n• SANDBOX: run #${built.id.slice(0, 8)} soarix-web main: succeeded, [0-9a-f]{7} in .+ \\(\\d\\d:\\d\\d UTC, Ana\\)$`));
  });
});

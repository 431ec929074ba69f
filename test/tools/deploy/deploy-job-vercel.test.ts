import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { MemoryHotStore } from '../../../store/hot/memory-hot-store.js';
import { ConversationRepo, JobRepo, PeopleRepo, type Person } from '../../../store/index.js';
import { loadAppCatalog, type AppCatalog } from '../../../tools/apps/index.js';
import { buildJobHandler, createBuildProviders } from '../../../tools/build/index.js';
import { createDeployAction, deployJobHandler, VercelDeployProvider, type DeployProviders } from '../../../tools/deploy/index.js';
import { createJobQueue, type JobQueue, type JobRecord } from '../../../tools/jobs/index.js';
import { FAKE_VERCEL_TOKEN, VercelFake } from '../../support/fakes/vercel/index.js';
import { embeddedTestDatabase } from '../../support/services.js';

/**
 * deploy.create for an app whose production target is Vercel, against the Vercel fake: the deploy job
 * passes the app's repository and branch with the catalog's project (the catalog keeps them on the
 * app), and the next restatement reads what is live from Vercel.
 */
const clock = new SystemClock();
let t: Awaited<ReturnType<typeof embeddedTestDatabase>>;
let fake: VercelFake;
let dir: string;
let catalog: AppCatalog;
let jobs: JobQueue;
let deploys: DeployProviders;
let ana: Person;
let conversationId: string;

beforeAll(async () => {
  t = await embeddedTestDatabase();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  fake = await new VercelFake().start();
  fake.addProject('soarix-web', { repo: 'soarix/web' });
  dir = mkdtempSync(path.join(tmpdir(), 'sb-vercel-job-'));
  const file = path.join(dir, 'apps.json');
  writeFileSync(
    file,
    JSON.stringify({ apps: [{ name: 'soarix-web', repository: 'https://github.com/soarix/web', branch: 'trunk', environments: { production: { provider: 'vercel', project: 'soarix-web' } } }] }),
  );
  catalog = loadAppCatalog({ appsFile: { path: file, fromSetting: true }, apps: [], appsFromSetting: false });
  const vercel = new VercelDeployProvider({ token: FAKE_VERCEL_TOKEN, baseUrl: fake.url, pollIntervalMs: 20 });
  deploys = { get: () => vercel };
  const builds = createBuildProviders({ dataDir: dir, sandboxStepDelayMs: 5 });
  jobs = createJobQueue({ jobs: new JobRepo(t.db, clock), hot: new MemoryHotStore(clock), clock, logger: silentLogger(), soleProcess: true });
  jobs.register(buildJobHandler({ catalog, builds }) as never);
  jobs.register(deployJobHandler({ catalog, builds, deploys }) as never);
  await jobs.start();
  ana = await new PeopleRepo(t.db, clock).resolve('webchat', `ana-${Date.now()}`, 'Ana', 'admin');
  conversationId = (await new ConversationRepo(t.db, clock).ensure('webchat', `ops-${Date.now()}`)).id;
});
afterEach(async () => {
  await jobs.stop();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function settled(jobId: string): Promise<JobRecord> {
  for (let i = 0; i < 200; i++) {
    const job = await jobs.get(jobId);
    if (job && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not end');
}

it('deploys to Vercel from the app repository and branch, and the next restatement says what Vercel has live', async () => {
  const action = createDeployAction({ catalog, jobs, deploys });
  const c = { actor: ana, conversationId, now: Date.now(), timezone: 'UTC', text: 'deploy soarix-web to production' };
  const prepared = await action.prepare({ app: 'soarix-web', env: 'production' }, c);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared));
  expect(action.risk(prepared.params)).toBe('risky');
  expect(action.plan(prepared.params)).toMatch(/^Deploy soarix-web to production: trunk, built first/);
  const started = await action.execute(prepared.params, { ...c, idempotencyKey: 'confirmation:v1' });
  const job = await settled((started.data as { jobId: string }).jobId);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/v13/deployments')!;
  expect(create.body).toMatchObject({ project: 'soarix-web', target: 'production', gitSource: { type: 'github', org: 'soarix', repo: 'web', ref: 'trunk' } });
  const commit = (job.result as { commit: string }).commit;
  expect((create.body as { gitSource: { sha: string } }).gitSource.sha).toBe(commit);
  expect((job.result as { url?: string }).url).toMatch(/^https:\/\/soarix-web-[0-9a-f]+\.vercel\.app$/);

  const again = await action.prepare({ app: 'soarix-web', env: 'production' }, c);
  if (!again.ok) throw new Error(JSON.stringify(again));
  expect(action.plan(again.params)).toContain(`Live there now: ${commit.slice(0, 7)} since `);
  expect(action.plan(again.params)).toContain('deployed by Ana.');
});

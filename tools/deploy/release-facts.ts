import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isRemoteRepository, type App, type AppCatalog, type Environment } from '../apps/index.js';
import { jobApp, type BuildJobResult } from '../build/index.js';
import type { JobQueue, JobRecord } from '../jobs/index.js';
import { targetRef, type DeployJobResult, type DeployProviders } from './deploy-job.js';

const run = promisify(execFile);

/** One deploy per app and environment at a time: deploys and rollbacks share this lock. */
export function deployLockKey(app: string, env: string): string {
  return `deploy:${app}:${env}`;
}

/** What is live in one environment: the provider's word, and who put it there from the job records. */
export interface LiveFacts {
  releaseId: string;
  commit: string;
  since: number;
  by: string | null;
  jobId: string | null;
}

/** How many job records are read to answer "what is live / which build": plenty for a chat answer. */
const SCAN = 200;

export async function liveFacts(deps: { catalog: AppCatalog; jobs: JobQueue; deploys: DeployProviders }, app: App, env: Environment): Promise<LiveFacts | null> {
  const ref = targetRef(app, env);
  const live = await deps.deploys.get(ref.provider).current({ app: ref.app, env: ref.env, target: ref.target });
  if (!live) return null;
  const runs = await deps.jobs.list({ lockKey: deployLockKey(app.name, env), status: 'succeeded', limit: SCAN });
  const job = runs.find((j) => (j.result as Partial<DeployJobResult> | undefined)?.releaseId === live.releaseId) ?? runs.find((j) => (j.result as Partial<DeployJobResult> | undefined)?.commit === live.commit);
  return { releaseId: live.releaseId, commit: live.commit, since: live.since.getTime(), by: job?.requesterName ?? null, jobId: job?.id ?? null };
}

/**
 * Builds of one app, newest first: build jobs, and deploys that built what they shipped (no build
 * existed yet) and went live, whose output a later deploy may ship too.
 */
export async function buildsOf(jobs: JobQueue, app: string): Promise<JobRecord[]> {
  const [builds, deploys] = await Promise.all([jobs.list({ kind: 'build', limit: SCAN }), jobs.list({ kind: 'deploy', status: 'succeeded', limit: SCAN })]);
  const builtByDeploys = deploys.filter((j) => (j.result as Partial<DeployJobResult> | undefined)?.buildId === j.id);
  return [...builds, ...builtByDeploys].filter((j) => jobApp(j).app === app).sort((a, b) => b.createdAt - a.createdAt);
}

export const buildResult = (job: JobRecord) => job.result as Partial<BuildJobResult> | undefined;

/**
 * The build a ref names: a run id (or its first characters) or a commit (7+ hex characters) of a build
 * of this app. A branch or tag name names no build: the deploy builds it first.
 */
export function findBuild(builds: JobRecord[], ref: string): JobRecord | undefined {
  const wanted = ref.replace(/^#/, '').toLowerCase();
  if (!/^[0-9a-f-]{4,40}$/.test(wanted)) return undefined;
  return builds.find((j) => j.id.startsWith(wanted)) ?? (wanted.length >= 7 ? builds.find((j) => buildResult(j)?.commit?.startsWith(wanted)) : undefined);
}

/**
 * How many commits `to` is ahead of `from` (negative: behind), read from the app's repository when it
 * is a local path; undefined when that cannot be told (a remote repository, a commit it does not have).
 */
export async function commitDistance(repository: string | undefined, from: string, to: string): Promise<number | undefined> {
  if (!repository || isRemoteRepository(repository) || from === to) return from === to ? 0 : undefined;
  const count = async (a: string, b: string) => {
    const { stdout } = await run('git', ['rev-list', '--count', `${a}..${b}`], { cwd: repository, timeout: 5_000 });
    return Number(stdout.trim());
  };
  try {
    const ahead = await count(from, to);
    return ahead > 0 ? ahead : -(await count(to, from));
  } catch {
    return undefined;
  }
}

import { z } from 'zod';
import { ENVIRONMENTS, type AppCatalog, type Environment } from '../apps/index.js';
import { describeHolder, resolveApp, runId, sandboxLabel, shortCommit, when } from '../build/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { ToolAction } from '../tool-action.js';
import type { DeployProviders } from './deploy-job.js';
import { buildResult, buildsOf, commitDistance, deployLockKey, findBuild, liveFacts } from './release-facts.js';

const LiveSchema = z.object({ releaseId: z.string(), commit: z.string(), since: z.number(), by: z.string().nullable() }).nullable();

export const CreateDeployParamsSchema = z.object({
  app: z.string(),
  env: z.enum(ENVIRONMENTS),
  provider: z.string(),
  sandbox: z.boolean(),
  /** The build that ships, or null: build `ref` first, in the deploy job. */
  buildId: z.string().nullable(),
  commit: z.string().nullable(),
  artifactPath: z.string().nullable(),
  ref: z.string(),
  builtAt: z.number().nullable(),
  live: LiveSchema,
  /** Said in the restatement and makes the deploy need the phrase (an older build than what is live). */
  warning: z.string().nullable(),
  /** Commits from what is live to what ships (negative: going back), when the repository can tell. */
  commits: z.number().int().nullable(),
  queueBehind: z.boolean(),
  timezone: z.string(),
  /** When it was prepared: times in the restatement are said relative to it. */
  at: z.number(),
});
export type CreateDeployParams = z.infer<typeof CreateDeployParamsSchema>;

/** "deploy it after that one", "queue it": wait for the holder of the lock instead of being refused. */
const QUEUE_WORDS = /\b(queue|queued|after|behind|wait)\b/i;

export interface DeployActionDeps {
  catalog: AppCatalog;
  jobs: JobQueue;
  deploys: DeployProviders;
  /** Where the service serves a `local` target's live release (serve-local-sites.ts), shown by deploy.status. */
  siteUrl?: (app: string, env: Environment) => string;
}

/**
 * `deploy.create`: ships a build of a catalog app to an environment as a `deploy` job under the lock
 * `deploy:<app>:<env>`. Without a ref it ships the app's latest successful build (or builds the default
 * branch first); a run id or commit names a build. Production, or a build older than what is live, is
 * risky: the restatement says what is live now and what changes, and an admin types the phrase.
 */
export function createDeployAction(deps: DeployActionDeps): ToolAction<CreateDeployParams> {
  return {
    name: 'deploy.create',
    intent: 'deploy.create',
    input: CreateDeployParamsSchema,
    async prepare(slots, ctx) {
      const found = resolveApp(deps.catalog, slots.app, 'Which app should I deploy?');
      if (!('app' in found)) return found;
      const { app } = found;
      if (!slots.env) return { ok: false, question: `Where should I deploy ${app.name}: production, staging or preview?`, slot: 'env' };
      const env = slots.env;
      const target = app.environments[env];
      const sandbox = target.provider === 'sandbox';
      const label = sandboxLabel(sandbox);
      const builds = await buildsOf(deps.jobs, app.name);
      let build = slots.ref ? findBuild(builds, slots.ref) : builds.find((j) => j.status === 'succeeded');
      if (build && build.status !== 'succeeded') {
        const why =
          build.status === 'failed'
            ? `failed${build.error?.step ? ` at step "${build.error.step}"` : ''}`
            : build.status === 'running' || build.status === 'queued'
              ? 'has not finished yet'
              : `ended ${build.status}`;
        return { ok: false, refusal: `${label}Build run ${runId(build.id)} of ${app.name} ${why}, so I won't deploy it. Say "build ${app.name}" for a new one, or name a build that succeeded.` };
      }
      let live;
      try {
        live = await liveFacts(deps, app, env);
      } catch (error) {
        return { ok: false, refusal: `${label}I can't read what is live on ${app.name} ${env}: ${error instanceof Error ? error.message : String(error)}` };
      }
      const result = build ? buildResult(build) : undefined;
      let warning: string | null = null;
      if (build && result?.commit && live && live.commit !== result.commit) {
        // The build that made the live release: when it is newer than the one chosen, this goes backwards.
        const liveBuild = builds.find((j) => j.status === 'succeeded' && buildResult(j)?.commit === live.commit);
        if (liveBuild && liveBuild.createdAt > build.createdAt) {
          warning = `This build (${shortCommit(result.commit)}, ${when(build.createdAt, ctx.now, ctx.timezone)}) is older than what is live (${shortCommit(live.commit)}, built ${when(liveBuild.createdAt, ctx.now, ctx.timezone)}).`;
        }
      }
      const commits = live && result?.commit ? await commitDistance(app.repository, live.commit, result.commit) : undefined;
      return {
        ok: true,
        params: {
          app: app.name,
          env,
          provider: target.provider,
          sandbox,
          buildId: build?.id ?? null,
          commit: result?.commit ?? null,
          artifactPath: result?.artifactPath ?? null,
          ref: (build ? (build.params as { ref?: string }).ref : undefined) ?? slots.ref ?? app.branch,
          builtAt: build?.endedAt ?? null,
          live: live ? { releaseId: live.releaseId, commit: live.commit, since: live.since, by: live.by } : null,
          warning,
          commits: commits ?? null,
          queueBehind: QUEUE_WORDS.test(ctx.text),
          timezone: ctx.timezone,
          at: ctx.now,
        },
      };
    },
    risk: (p) => (p.env === 'production' || p.warning ? 'risky' : 'safe'),
    plan: (p) => {
      const what = p.buildId
        ? `build run ${runId(p.buildId)} (commit ${shortCommit(p.commit ?? undefined)}, ${p.ref})`
        : `${p.ref}, built first (no successful build of ${p.app} yet)`;
      const live = p.live
        ? `Live there now: ${shortCommit(p.live.commit)} since ${when(p.live.since, p.at, p.timezone)}${p.live.by ? `, deployed by ${p.live.by}` : ''}.`
        : `Nothing is live on ${p.env} yet.`;
      const count = p.commits ? ` (${Math.abs(p.commits)} commit${Math.abs(p.commits) === 1 ? '' : 's'}${p.commits < 0 ? ' back' : ''})` : '';
      const change = `What changes: ${p.live ? shortCommit(p.live.commit) : 'nothing'} → ${p.commit ? shortCommit(p.commit) : `the new build of ${p.ref}`}${count}.`;
      const same = p.live && p.commit && p.live.commit === p.commit ? [`${shortCommit(p.commit)} is already live there: this deploys it again.`] : [];
      return [`${sandboxLabel(p.sandbox)}Deploy ${p.app} to ${p.env}: ${what}.`, live, change, ...same, ...(p.warning ? [`⚠️ ${p.warning}`] : [])].join('\n');
    },
    phrase: (p) => ({ verb: 'deploy', target: p.app, qualifier: p.env }),
    async execute(p, ctx) {
      const label = sandboxLabel(p.sandbox);
      const commit = p.commit ? shortCommit(p.commit) : p.ref;
      const queued = await deps.jobs.enqueue(
        'deploy',
        {
          app: p.app,
          env: p.env,
          ref: p.ref,
          sandbox: p.sandbox,
          ...(p.buildId && p.commit ? { buildId: p.buildId, commit: p.commit } : {}),
          ...(p.artifactPath ? { artifactPath: p.artifactPath } : {}),
        },
        {
          requestedBy: ctx.actor.id,
          conversationId: ctx.conversationId,
          idempotencyKey: ctx.idempotencyKey,
          lockKey: deployLockKey(p.app, p.env),
          lockLabel: `deploying ${commit} of ${p.app} to ${p.env}`,
          queueBehind: p.queueBehind,
        },
      );
      if ('refused' in queued) {
        return {
          summary:
            `${label}I can't deploy ${p.app} to ${p.env} right now: ${describeHolder(queued.holder, ctx.now, ctx.timezone)}. ` +
            `Only one deploy per app and environment runs at a time. Say "deploy ${p.app} to ${p.env} after it" and I'll queue this one behind it.`,
          data: { started: false, holder: queued.holder.jobId },
        };
      }
      const { job, created } = queued;
      if (!created) return { summary: `${label}That deploy was already started (run ${runId(job.id)}, ${job.status}).`, data: { jobId: job.id, created } };
      const summary =
        job.status === 'queued' && p.queueBehind
          ? `${label}Queued the deploy of ${commit} of ${p.app} to ${p.env} (run ${runId(job.id)}); it starts when the one under way ends.`
          : `${label}Started deploying ${commit} of ${p.app} to ${p.env} (run ${runId(job.id)}). I'll post the steps here.`;
      return { summary, data: { jobId: job.id, created } };
    },
  };
}

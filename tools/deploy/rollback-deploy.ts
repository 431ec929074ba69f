import { z } from 'zod';
import { ENVIRONMENTS } from '../apps/index.js';
import { describeHolder, resolveApp, runId, sandboxLabel, shortCommit, when } from '../build/index.js';
import type { ToolAction } from '../tool-action.js';
import type { DeployActionDeps } from './create-deploy.js';
import type { DeployJobResult } from './deploy-job.js';
import { deployLockKey, liveFacts } from './release-facts.js';

export const RollbackDeployParamsSchema = z.object({
  app: z.string(),
  env: z.enum(ENVIRONMENTS),
  sandbox: z.boolean(),
  /** A release id or commit to return to; null: the previous good release. */
  toRelease: z.string().nullable(),
  live: z.object({ releaseId: z.string(), commit: z.string(), since: z.number(), by: z.string().nullable() }),
  /** What the job records say went live before the current release (the provider decides for sure). */
  previous: z.object({ commit: z.string(), at: z.number(), by: z.string().nullable() }).nullable(),
  queueBehind: z.boolean(),
  timezone: z.string(),
  at: z.number(),
});
export type RollbackDeployParams = z.infer<typeof RollbackDeployParamsSchema>;

const QUEUE_WORDS = /\b(queue|queued|after|behind|wait)\b/i;

/**
 * `deploy.rollback`: puts the previous good release of an app's environment live again (or a named
 * one), as a `rollback` job under the same lock as deploys. Production is risky.
 */
export function rollbackDeployAction(deps: DeployActionDeps): ToolAction<RollbackDeployParams> {
  return {
    name: 'deploy.rollback',
    intent: 'deploy.rollback',
    input: RollbackDeployParamsSchema,
    async prepare(slots, ctx) {
      const found = resolveApp(deps.catalog, slots.app, 'Which app should I roll back?');
      if (!('app' in found)) return found;
      const { app } = found;
      if (!slots.env) return { ok: false, question: `Which environment of ${app.name} should I roll back: production, staging or preview?`, slot: 'env' };
      const env = slots.env;
      const sandbox = app.environments[env].provider === 'sandbox';
      let live;
      try {
        live = await liveFacts(deps, app, env);
      } catch (error) {
        return { ok: false, refusal: `${sandboxLabel(sandbox)}I can't read what is live on ${app.name} ${env}: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (!live) return { ok: false, refusal: `${sandboxLabel(sandbox)}Nothing is live on ${app.name} ${env}, so there is nothing to roll back.` };
      // The newest successful run that left a different commit live: the release a rollback most likely returns to.
      const runs = await deps.jobs.list({ lockKey: deployLockKey(app.name, env), status: 'succeeded', limit: 200 });
      const earlier = runs.find((j) => {
        const commit = (j.result as Partial<DeployJobResult> | undefined)?.commit;
        return commit && commit !== live.commit && (!slots.ref || commit.startsWith(slots.ref.toLowerCase()));
      });
      const earlierCommit = (earlier?.result as Partial<DeployJobResult> | undefined)?.commit;
      // Local and sandbox targets get every release from us: one deploy on record means nothing earlier
      // to return to, so say so now rather than restate a rollback that can only fail. (A hosted
      // provider may hold releases made outside Switchboard: it answers for itself when the job runs.)
      const ownsEveryRelease = app.environments[env].provider === 'local' || sandbox;
      if (ownsEveryRelease && !slots.ref && !earlier && runs.length < 2) {
        return { ok: false, refusal: `${sandboxLabel(sandbox)}Only one release of ${app.name} has gone live on ${env} (${shortCommit(live.commit)}), so there is nothing earlier to roll back to.` };
      }
      return {
        ok: true,
        params: {
          app: app.name,
          env,
          sandbox,
          toRelease: slots.ref ?? null,
          live: { releaseId: live.releaseId, commit: live.commit, since: live.since, by: live.by },
          previous: earlier && earlierCommit ? { commit: earlierCommit, at: earlier.endedAt ?? earlier.createdAt, by: earlier.requesterName ?? null } : null,
          queueBehind: QUEUE_WORDS.test(ctx.text),
          timezone: ctx.timezone,
          at: ctx.now,
        },
      };
    },
    risk: (p) => (p.env === 'production' ? 'risky' : 'safe'),
    plan: (p) => {
      const to = p.toRelease ? `release ${p.toRelease}` : 'the previous good release';
      const back = p.previous ? ` (${shortCommit(p.previous.commit)}, deployed ${when(p.previous.at, p.at, p.timezone)}${p.previous.by ? ` by ${p.previous.by}` : ''})` : '';
      return [
        `${sandboxLabel(p.sandbox)}Roll back ${p.app} on ${p.env} to ${to}${back}.`,
        `Live there now: ${shortCommit(p.live.commit)} since ${when(p.live.since, p.at, p.timezone)}${p.live.by ? `, deployed by ${p.live.by}` : ''}.`,
        `What changes: ${shortCommit(p.live.commit)} → ${p.previous ? shortCommit(p.previous.commit) : to}.`,
      ].join('\n');
    },
    phrase: (p) => ({ verb: 'rollback', target: p.app, qualifier: p.env }),
    async execute(p, ctx) {
      const label = sandboxLabel(p.sandbox);
      const queued = await deps.jobs.enqueue(
        'rollback',
        { app: p.app, env: p.env, sandbox: p.sandbox, ...(p.toRelease ? { toRelease: p.toRelease } : {}) },
        {
          requestedBy: ctx.actor.id,
          conversationId: ctx.conversationId,
          idempotencyKey: ctx.idempotencyKey,
          lockKey: deployLockKey(p.app, p.env),
          lockLabel: `rolling back ${p.app} on ${p.env}`,
          queueBehind: p.queueBehind,
        },
      );
      if ('refused' in queued) {
        return {
          summary:
            `${label}I can't roll back ${p.app} on ${p.env} right now: ${describeHolder(queued.holder, ctx.now, ctx.timezone)}. ` +
            `Say "roll back ${p.app} on ${p.env} after it" and I'll queue the rollback behind it.`,
          data: { started: false, holder: queued.holder.jobId },
        };
      }
      const { job, created } = queued;
      if (!created) return { summary: `${label}That rollback was already started (run ${runId(job.id)}, ${job.status}).`, data: { jobId: job.id, created } };
      return { summary: `${label}Rolling back ${p.app} on ${p.env} (run ${runId(job.id)}). I'll post the steps here.`, data: { jobId: job.id, created } };
    },
  };
}

import { z } from 'zod';
import type { AppCatalog } from '../apps/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { ToolAction } from '../tool-action.js';
import { resolveApp, runId, sandboxLabel } from './run-words.js';

export const StartBuildParamsSchema = z.object({
  app: z.string(),
  ref: z.string().min(1),
  provider: z.string(),
  sandbox: z.boolean(),
});
export type StartBuildParams = z.infer<typeof StartBuildParamsSchema>;

/**
 * `build.start`: queues a build job of a catalog app (its default branch unless a ref is named) with the
 * app's build provider. Safe: a build changes nothing anyone sees. The steps and the outcome reach the
 * chat through the job-progress bridge (bot/job-progress.ts), not this reply.
 */
export function startBuildAction(deps: { catalog: AppCatalog; jobs: JobQueue }): ToolAction<StartBuildParams> {
  return {
    name: 'build.start',
    intent: 'build.start',
    input: StartBuildParamsSchema,
    async prepare(slots) {
      const found = resolveApp(deps.catalog, slots.app, 'Which app should I build?');
      if (!('app' in found)) return found;
      const { app } = found;
      return {
        ok: true,
        params: { app: app.name, ref: slots.ref ?? app.branch, provider: app.build.provider, sandbox: app.build.provider === 'sandbox' },
      };
    },
    risk: () => 'safe',
    plan: (p) => `${sandboxLabel(p.sandbox)}Build ${p.app} at ${p.ref} (${p.provider}).`,
    phrase: (p) => ({ verb: 'build', target: p.app, qualifier: 'now' }),
    async execute(p, ctx) {
      const queued = await deps.jobs.enqueue(
        'build',
        { app: p.app, ref: p.ref, sandbox: p.sandbox },
        { requestedBy: ctx.actor.id, conversationId: ctx.conversationId, idempotencyKey: ctx.idempotencyKey },
      );
      if ('refused' in queued) return { summary: `${sandboxLabel(p.sandbox)}A build of ${p.app} cannot start right now.`, data: { started: false } };
      const { job, created } = queued;
      const summary = created
        ? `${sandboxLabel(p.sandbox)}Started building ${p.app} at ${p.ref} (run ${runId(job.id)}). I'll post the steps here.`
        : `${sandboxLabel(p.sandbox)}That build of ${p.app} was already started (run ${runId(job.id)}, ${job.status}).`;
      return { summary, data: { jobId: job.id, created } };
    },
  };
}

import { z } from 'zod';
import type { AppCatalog } from '../apps/index.js';
import type { JobQueue, JobRecord } from '../jobs/index.js';
import type { ToolAction } from '../tool-action.js';
import type { BuildJobResult } from './build-job.js';
import { duration, jobApp, resolveApp, runId, sandboxLabel, shortCommit, when } from './run-words.js';

export const BuildStatusParamsSchema = z.object({ app: z.string().nullable(), timezone: z.string() });
export type BuildStatusParams = z.infer<typeof BuildStatusParamsSchema>;

/** How many builds the answer lists. */
const SHOWN = 5;

/** One build as a chat line: "run #1a2b3c4d soarix-web main: succeeded, a1b2c3d in 12 s (14:02 UTC, Priya)". */
export function buildLine(job: JobRecord, now: number, timezone: string): string {
  const { app, ref, sandbox } = jobApp(job);
  const result = job.result as Partial<BuildJobResult> | undefined;
  const took = job.startedAt && job.endedAt ? ` in ${duration(job.endedAt - job.startedAt)}` : '';
  const outcome =
    job.status === 'succeeded'
      ? `succeeded, ${shortCommit(result?.commit)}${took}`
      : job.status === 'failed'
        ? `failed${job.error?.step ? ` at "${job.error.step}"` : ''}${took}`
        : job.status === 'running'
          ? `running${job.steps.length ? ` ("${job.steps.at(-1)!.name}")` : ''}`
          : job.status;
  const by = job.requesterName ? `, ${job.requesterName}` : '';
  return `${sandboxLabel(Boolean(sandbox))}run ${runId(job.id)} ${app ?? '?'} ${ref ?? ''}: ${outcome} (${when(job.createdAt, now, timezone)}${by})`;
}

/** `build.status`: the latest builds (of one app, or all), newest first, from the job records. */
export function buildStatusAction(deps: { catalog: AppCatalog; jobs: JobQueue }): ToolAction<BuildStatusParams> {
  return {
    name: 'build.status',
    intent: 'build.status',
    input: BuildStatusParamsSchema,
    async prepare(slots, ctx) {
      if (!slots.app) return { ok: true, params: { app: null, timezone: ctx.timezone } };
      const found = resolveApp(deps.catalog, slots.app, 'Which app?');
      if (!('app' in found)) return found;
      return { ok: true, params: { app: found.app.name, timezone: ctx.timezone } };
    },
    risk: () => 'safe',
    plan: (p) => `Show the latest builds${p.app ? ` of ${p.app}` : ''}.`,
    phrase: () => ({ verb: 'show', target: 'builds', qualifier: 'now' }),
    async execute(p, ctx) {
      const jobs = (await deps.jobs.list({ kind: 'build', limit: 200 })).filter((j) => !p.app || jobApp(j).app === p.app).slice(0, SHOWN);
      if (!jobs.length) return { summary: p.app ? `No builds of ${p.app} yet. Say "build ${p.app}" to start one.` : 'No builds yet.', data: { count: 0 } };
      const lines = jobs.map((j) => `• ${buildLine(j, ctx.now, p.timezone)}`);
      return { summary: `Latest builds${p.app ? ` of ${p.app}` : ''}:\n${lines.join('\n')}`, data: { count: jobs.length } };
    },
  };
}

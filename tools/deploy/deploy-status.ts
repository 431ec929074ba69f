import { z } from 'zod';
import { ENVIRONMENTS, type App, type Environment } from '../apps/index.js';
import { describeHolder, duration, resolveApp, runId, SANDBOX, shortCommit, when } from '../build/index.js';
import type { JobRecord } from '../jobs/index.js';
import type { ToolAction } from '../tool-action.js';
import type { DeployActionDeps } from './create-deploy.js';
import type { DeployJobResult } from './deploy-job.js';
import { deployLockKey, liveFacts } from './release-facts.js';

export const DeployStatusParamsSchema = z.object({
  app: z.string().nullable(),
  env: z.enum(ENVIRONMENTS).nullable(),
  timezone: z.string(),
});
export type DeployStatusParams = z.infer<typeof DeployStatusParamsSchema>;

/** Past runs shown per environment when one app is asked about. */
const RUNS_SHOWN = 3;

function runLine(job: JobRecord, now: number, timezone: string): string {
  const verb = job.kind === 'rollback' ? 'rollback' : 'deploy';
  const commit = (job.result as Partial<DeployJobResult> | undefined)?.commit;
  const took = job.startedAt && job.endedAt ? ` in ${duration(job.endedAt - job.startedAt)}` : '';
  const outcome =
    job.status === 'succeeded'
      ? `live${commit ? ` ${shortCommit(commit)}` : ''}${took}`
      : job.status === 'failed'
        ? `failed${job.error?.step ? ` at "${job.error.step}"` : ''}`
        : job.status;
  return `${verb} run ${runId(job.id)}: ${outcome} (${when(job.createdAt, now, timezone)}${job.requesterName ? `, ${job.requesterName}` : ''})`;
}

/**
 * `deploy.status`: what is live where (commit, since when, by whom), who is deploying right now (the
 * lock holders: "is anyone deploying the shop?"), and, for one app, the last runs and their outcome.
 */
export function deployStatusAction(deps: DeployActionDeps): ToolAction<DeployStatusParams> {
  return {
    name: 'deploy.status',
    intent: 'deploy.status',
    input: DeployStatusParamsSchema,
    async prepare(slots, ctx) {
      let app: string | null = null;
      if (slots.app) {
        const found = resolveApp(deps.catalog, slots.app, 'Which app?');
        if (!('app' in found)) return found;
        app = found.app.name;
      }
      return { ok: true, params: { app, env: slots.env ?? null, timezone: ctx.timezone } };
    },
    risk: () => 'safe',
    plan: (p) => `Show what is live${p.app ? ` for ${p.app}` : ''}${p.env ? ` on ${p.env}` : ''}.`,
    phrase: () => ({ verb: 'show', target: 'deploys', qualifier: 'now' }),
    async execute(p, ctx) {
      const apps: App[] = p.app ? [deps.catalog.require(p.app)] : deps.catalog.list();
      if (!apps.length) return { summary: 'No apps are set up yet (switchboard apps add, or switchboard demo init for a sample).', data: {} };
      const envs: Environment[] = p.env ? [p.env] : [...ENVIRONMENTS];
      const lines: string[] = [];
      const busy: string[] = [];
      for (const app of apps) {
        for (const env of envs) {
          const sandbox = app.environments[env].provider === 'sandbox' ? SANDBOX : '';
          const holder = await deps.jobs.lockHolder(deployLockKey(app.name, env));
          if (holder) busy.push(`${sandbox}${app.name} ${env}: ${describeHolder(holder, ctx.now, p.timezone)}.`);
          let live;
          try {
            live = await liveFacts(deps, app, env);
          } catch (error) {
            lines.push(`${sandbox}${app.name} ${env}: can't tell (${error instanceof Error ? error.message : String(error)})`);
            continue;
          }
          const runs = p.app ? await deps.jobs.list({ lockKey: deployLockKey(app.name, env), limit: RUNS_SHOWN }) : [];
          // Listing every app: only what is live (asked about one app, its empty environments say so too).
          if (!live && !p.app) continue;
          const what = live
            ? `${shortCommit(live.commit)} live since ${when(live.since, ctx.now, p.timezone)}${live.by ? `, deployed by ${live.by}` : ''}`
            : 'nothing live';
          const site = live && app.environments[env].provider === 'local' ? deps.siteUrl?.(app.name, env) : undefined;
          lines.push(`${sandbox}${app.name} ${env}: ${what}${site ? ` (${site})` : ''}`);
          for (const run of runs) lines.push(`    ${runLine(run, ctx.now, p.timezone)}`);
        }
      }
      const who = p.app ? p.app : 'any app';
      const now = busy.length ? `Right now:\n${busy.map((b) => `• ${b}`).join('\n')}` : `Nobody is deploying ${who}${p.env ? ` on ${p.env}` : ''} right now.`;
      const live = lines.length ? lines.map((l) => (l.startsWith('    ') ? l : `• ${l}`)).join('\n') : `Nothing is live${p.env ? ` on ${p.env}` : ''} yet.`;
      return { summary: `${now}\n${live}`, data: { busy: busy.length } };
    },
  };
}

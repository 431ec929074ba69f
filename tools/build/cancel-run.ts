import { z } from 'zod';
import type { AppCatalog } from '../apps/index.js';
import type { JobQueue, JobRecord } from '../jobs/index.js';
import type { ToolAction } from '../tool-action.js';
import { jobApp, runId, sandboxLabel } from './run-words.js';

export const CancelRunParamsSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  app: z.string().nullable(),
  env: z.string().nullable(),
  requesterName: z.string().nullable(),
  own: z.boolean(),
  sandbox: z.boolean(),
});
export type CancelRunParams = z.infer<typeof CancelRunParamsSchema>;

/** The words people use for each kind of run. */
const KIND_WORDS: [kind: string, words: RegExp][] = [
  ['rollback', /\broll(?:ing)?[\s-]?back\b|\brollback\b/i],
  ['deploy', /\b(?:deploy\w*|release|ship\w*)\b/i],
  ['build', /\bbuild\w*\b/i],
];

/** Who may stop a run: the roles that may start one (intents/catalog build.ts, deploy.ts). */
const MAY_CANCEL = new Set(['owner', 'admin', 'developer']);

/** The bot's answer when nothing is under way, the same words the dialog uses. */
export const NOTHING_TO_CANCEL = 'There is nothing to cancel.';

const what = (kind: string) => (kind === 'deploy' ? 'deploy' : kind === 'rollback' ? 'rollback' : 'build');

/**
 * `run.cancel`: "cancel the build" when no dialog is pending. Stops the requester's own running (or
 * queued) build, deploy or rollback, else the one of the app the message names. It has no intent of its
 * own: the dialog step reaches it from the `cancel` intent when nothing is pending in the conversation.
 * Stopping someone else's run is risky (the phrase, the requester or an admin).
 */
export function cancelRunAction(deps: { catalog: AppCatalog; jobs: JobQueue }): ToolAction<CancelRunParams> {
  return {
    name: 'run.cancel',
    input: CancelRunParamsSchema,
    async prepare(slots, ctx) {
      if (!MAY_CANCEL.has(ctx.actor.role)) return { ok: false, refusal: NOTHING_TO_CANCEL };
      const kind = KIND_WORDS.find(([, words]) => words.test(ctx.text))?.[0];
      const text = ctx.text.toLowerCase();
      const named =
        slots.app ??
        deps.catalog
          .list()
          .find((a) => [a.name, ...a.aliases].some((n) => new RegExp(`(^|[^a-z0-9-])${n.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9-]|$)`).test(text)))?.name;
      const active = (await deps.jobs.list({ status: ['running', 'queued'], limit: 200 })).filter(
        (j) => (!kind || j.kind === kind) && ['build', 'deploy', 'rollback'].includes(j.kind) && (!named || jobApp(j).app === named),
      );
      // The requester's own run first (running before queued), else the app's (or anyone's, when only one is active).
      const byRecency = (a: JobRecord, b: JobRecord) => (a.status === b.status ? b.createdAt - a.createdAt : a.status === 'running' ? -1 : 1);
      const own = active.filter((j) => j.requestedBy === ctx.actor.id).sort(byRecency);
      const others = active.filter((j) => j.requestedBy !== ctx.actor.id).sort(byRecency);
      const job = own[0] ?? (named || others.length === 1 ? others[0] : undefined);
      if (!job) {
        if (others.length > 1) {
          const list = others.slice(0, 5).map((j) => `${what(j.kind)} of ${jobApp(j).app ?? '?'} (run ${runId(j.id)})`);
          return { ok: false, refusal: `Several runs are under way: ${list.join(', ')}. Which one? Name the app, e.g. "cancel the ${what(others[0]!.kind)} of ${jobApp(others[0]!).app}".` };
        }
        return { ok: false, refusal: kind ? `There is no ${what(kind)}${named ? ` of ${named}` : ''} running to cancel.` : NOTHING_TO_CANCEL };
      }
      const info = jobApp(job);
      return {
        ok: true,
        params: {
          jobId: job.id,
          kind: job.kind,
          app: info.app ?? null,
          env: info.env ?? null,
          requesterName: job.requesterName ?? null,
          own: job.requestedBy === ctx.actor.id,
          sandbox: Boolean(info.sandbox),
        },
      };
    },
    risk: (p) => (p.own ? 'safe' : 'risky'),
    plan: (p) =>
      `${sandboxLabel(p.sandbox)}Cancel the ${what(p.kind)} of ${p.app ?? 'an app'}${p.env ? ` to ${p.env}` : ''} (run ${runId(p.jobId)})` +
      `${p.own ? '' : `, started by ${p.requesterName ?? 'someone else'}`}.`,
    phrase: (p) => ({ verb: 'cancel', target: p.app ?? 'run', qualifier: what(p.kind) }),
    async execute(p, ctx) {
      const job = await deps.jobs.cancel(p.jobId, ctx.actor.id);
      const name = `the ${what(p.kind)} of ${p.app ?? 'the app'}${p.env ? ` to ${p.env}` : ''} (run ${runId(p.jobId)})`;
      const summary =
        job.status === 'cancelled'
          ? `Cancelled ${name}.`
          : job.status === 'running'
            ? `Stopping ${name}; I'll say here when it has stopped.`
            : `${name[0]!.toUpperCase()}${name.slice(1)} had already ended (${job.status}).`;
      return { summary: `${sandboxLabel(p.sandbox)}${summary}`, data: { jobId: job.id, status: job.status } };
    },
  };
}

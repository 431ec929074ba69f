import { toSwitchboardError, type Logger } from '../core/index.js';
import type { NotifyEvent } from '../intents/index.js';
import type { ConversationRepo, HotStore, MessageRepo, NotificationRepo } from '../store/index.js';
import type { AppCatalog } from '../tools/apps/index.js';
import { duration, jobApp, runId, sandboxLabel, shortCommit, type BuildJobResult } from '../tools/build/index.js';
import { recoverInterrupted, type DeployJobResult, type DeployProviders, type RollbackJobResult } from '../tools/deploy/index.js';
import type { JobEvent, JobQueue, JobRecord } from '../tools/jobs/index.js';
import type { NotificationService } from './notification-service.js';
import type { Outbox } from './outbox/index.js';

export interface JobProgressOptions {
  jobs: JobQueue;
  hot: HotStore;
  messages: MessageRepo;
  conversations: ConversationRepo;
  notificationRepo: NotificationRepo;
  notifications: NotificationService;
  outbox: Outbox;
  catalog: AppCatalog;
  deploys: DeployProviders;
  logger: Logger;
  /** How long a progress message waits for the conversation's turn to end (its reply goes first). */
  turnWaitMs?: number;
}

/** Log lines quoted under a failure whose error does not carry its own. */
const LAST_LINES = 8;
const KINDS = new Set(['build', 'deploy', 'rollback']);

/**
 * The job-progress bridge: job events (tools/jobs) become messages in the conversation that asked
 * (through the outbox, so in its thread), once per event id whichever instances hear it, and the
 * outcomes become notification events (build.failed, build.succeeded/finished, deploy.live,
 * deploy.failed, deploy.rolled_back) for subscribed chats. A deploy found interrupted (restart, dead
 * worker) is recovered by its provider first, so the requester is told what is live.
 */
export class JobProgress {
  private readonly chains = new Map<string, Promise<void>>();
  private off: (() => void) | undefined;

  constructor(private readonly options: JobProgressOptions) {}

  /** Listens from now on; call before the queue starts, so the interruptions found at start are told. */
  listen(): void {
    this.off ??= this.options.jobs.onEvent((event) => this.enqueue(event));
  }

  async stop(): Promise<void> {
    this.off?.();
    this.off = undefined;
    await Promise.allSettled([...this.chains.values()]);
  }

  /** Events of one job are handled in order (a step never overtakes its start). */
  private enqueue(event: JobEvent): void {
    if (!KINDS.has(event.job.kind)) return;
    const key = event.job.id;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(event))
      .catch((error: unknown) => this.options.logger.error({ err: toSwitchboardError(error), event: event.id }, 'job progress not delivered'));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  async handle(event: JobEvent): Promise<void> {
    const { job } = event;
    const interrupted = event.type === 'job.interrupted';
    if (job.conversationId) {
      // An interrupted deploy is recovered by the instance that tells it, so what it says is what it did.
      const text = interrupted ? async () => this.describe(event, await this.recover(job)) : async () => this.describe(event);
      // A start right after the request has nothing to say, and claims nothing.
      const silent = event.type === 'job.started' && (await this.describe(event)) === undefined;
      if (!silent) await this.post(job.conversationId, `job-progress:${event.id}`, text);
    } else if (interrupted) {
      await this.recover(job);
    }
    await this.notify(event);
  }

  /** After a restart or a dead worker, a deploy's provider puts back the last good release if needed (once). */
  private async recover(job: JobRecord): Promise<{ discarded: string; restored?: string } | undefined> {
    if (job.kind === 'build') return undefined;
    // Every instance hears the event; two recoveries of one folder would race.
    if (!(await this.options.hot.claim(`job-recover:${job.id}`, 10 * 60_000))) return undefined;
    return recoverInterrupted(this.options, jobApp(job)).catch((error: unknown) => {
      this.options.logger.error({ err: toSwitchboardError(error), job: job.id }, 'could not recover an interrupted deploy');
      return undefined;
    });
  }

  /** Stores and sends one progress message, unless another instance (or a replay) already did. */
  private async post(conversationId: string, eventId: string, describe: () => Promise<string | undefined>): Promise<void> {
    const { hot, messages, notificationRepo, outbox } = this.options;
    // The conversation's turn lock: a message about a job waits until the turn that started it has stored
    // (and sent) its reply, so "Started deploying…" comes before the first step.
    const lock = await hot.lock(`conversation:${conversationId}`, { ttlMs: 10_000, waitMs: this.options.turnWaitMs ?? 30_000 }).catch(() => undefined);
    try {
      if (!(await notificationRepo.claim(eventId, conversationId, 'job.progress'))) return;
      const text = await describe();
      if (text) await messages.recordNotification(conversationId, { text, kind: 'notification', payload: { event: 'job.progress', eventId } });
    } finally {
      await lock?.release().catch(() => {});
    }
    await outbox.kick(conversationId);
  }

  private async describe(event: JobEvent, recovered?: { discarded: string; restored?: string }): Promise<string | undefined> {
    const { job } = event;
    const { app = 'the app', env, sandbox } = jobApp(job);
    const label = sandboxLabel(Boolean(sandbox));
    const run = `run ${runId(job.id)}`;
    const name = job.kind === 'build' ? `build of ${app}` : job.kind === 'rollback' ? `rollback of ${app} on ${env}` : `deploy of ${app} to ${env}`;
    const took = duration((job.endedAt ?? event.at) - (job.startedAt ?? job.createdAt));
    switch (event.type) {
      case 'job.started':
        // The reply to the request already said "Started"; a run that waited behind a lock says when it begins.
        return job.startedAt !== undefined && job.startedAt - job.createdAt > 2_000 ? `${label}The ${name} (${run}) has started.` : undefined;
      case 'job.step':
        return `${label}${app}${env ? ` ${env}` : ''} (${run}): ${event.step}…`;
      case 'job.succeeded':
        return `${label}${this.success(job, app, env, took)}`;
      case 'job.failed': {
        const step = job.error?.step ? ` at step "${job.error.step}"` : '';
        let text = `${label}❌ The ${name} failed${step} after ${took} (${run}): ${job.error?.message ?? 'no reason given'}`;
        if (!/Last lines:/i.test(text)) {
          const lines = await this.options.jobs.logs(job.id, LAST_LINES).catch(() => []);
          if (lines.length) text += `\nLast lines of its log:\n${lines.join('\n')}`;
        }
        return `${text}\n(switchboard runs logs ${job.id.slice(0, 8)} shows the whole log.)`;
      }
      case 'job.cancelled':
        return `${label}Cancelled the ${name} (${run})${job.steps.length ? ` at step "${job.steps.at(-1)!.name}"` : ''}.`;
      case 'job.interrupted': {
        const step = job.steps.length ? ` at step "${job.steps.at(-1)!.name}"` : '';
        const state =
          job.kind === 'build'
            ? 'Nothing was deployed.'
            : recovered
              ? `The release it had switched to (${recovered.discarded}) was not verified, so it was taken down; ${recovered.restored ? `${recovered.restored} is live again` : 'nothing is live there now'}.`
              : 'Nothing was switched half-way: what was live before is still live.';
        return `${label}⚠️ The ${name} (${run}) was interrupted${step} (the service or its worker stopped). ${state} Ask again to retry.`;
      }
    }
  }

  private success(job: JobRecord, app: string, env: string | undefined, took: string): string {
    const run = `run ${runId(job.id)}`;
    if (job.kind === 'build') {
      const r = (job.result ?? {}) as Partial<BuildJobResult>;
      const where = r.url ? ` See ${r.url}` : r.artifactPath ? ` Artifact: ${r.artifactPath}` : '';
      return `✅ Built ${app} at ${shortCommit(r.commit)} in ${took} (${run}).${where}`;
    }
    if (job.kind === 'rollback') {
      const r = (job.result ?? {}) as Partial<RollbackJobResult>;
      return `↩️ Rolled back ${app} on ${env}: ${r.commit ? `${shortCommit(r.commit)} ` : ''}(release ${r.releaseId}) is live again, in ${took} (${run}).${r.previous ? ` Before: ${r.previous}.` : ''}${r.url ? ` ${r.url}` : ''}`;
    }
    const r = (job.result ?? {}) as Partial<DeployJobResult>;
    return `✅ ${app} is live on ${env}: ${shortCommit(r.commit)} (release ${r.releaseId}), deployed in ${took} (${run}).${r.url ? ` ${r.url}` : ''}`;
  }

  /** Outcomes for subscribed chats; the requester's own conversation already heard it (claimed first). */
  private async notify(event: JobEvent): Promise<void> {
    const { job } = event;
    const type = notifyType(job, event.type);
    if (!type) return;
    const { app = 'an app', env, sandbox } = jobApp(job);
    const label = sandboxLabel(Boolean(sandbox));
    const by = job.requesterName ? `, by ${job.requesterName}` : '';
    const r = (job.result ?? {}) as { commit?: string; releaseId?: string; url?: string };
    const text =
      type === 'build.failed'
        ? `${label}❌ Build of ${app} failed${job.error?.step ? ` at "${job.error.step}"` : ''} (run ${runId(job.id)}${by}).`
        : type === 'deploy.failed'
          ? `${label}❌ Deploy of ${app} to ${env} failed${job.error?.step ? ` at "${job.error.step}"` : ''} (run ${runId(job.id)}${by}).`
          : type === 'deploy.live'
            ? `${label}✅ ${app} is live on ${env}: ${shortCommit(r.commit)} (run ${runId(job.id)}${by}).${r.url ? ` ${r.url}` : ''}`
            : type === 'deploy.rolled_back'
              ? `${label}↩️ ${app} on ${env} was rolled back to ${r.commit ? shortCommit(r.commit) : r.releaseId} (run ${runId(job.id)}${by}).`
              : `${label}✅ Built ${app} at ${shortCommit(r.commit)} (run ${runId(job.id)}${by}).`;
    const id = `${type}:${job.id}`;
    if (job.conversationId) await this.options.notificationRepo.claim(id, job.conversationId, type, 'sent');
    await this.options.notifications.publish({ id, type, text });
  }
}

/** The notification event a job's outcome is, in the names chats subscribe to (intents/ids.ts NOTIFY_EVENTS). */
function notifyType(job: JobRecord, type: JobEvent['type']): NotifyEvent | undefined {
  if (type === 'job.succeeded') return job.kind === 'build' ? 'build.succeeded' : job.kind === 'rollback' ? 'deploy.rolled_back' : 'deploy.live';
  if (type === 'job.failed' || type === 'job.interrupted') return job.kind === 'build' ? 'build.failed' : 'deploy.failed';
  return undefined;
}

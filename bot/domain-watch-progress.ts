import { toSwitchboardError, type Clock, type Logger } from '../core/index.js';
import { NOTIFY_EVENTS, type NotifyEvent } from '../intents/index.js';
import type { DomainMapping, DomainMappingRepo, MessageRepo, NotificationRepo } from '../store/index.js';
import { duration, SANDBOX } from '../tools/build/index.js';
import { continueWatch, describeMissing, seenOnText, WATCH_KIND, type DnsProvider, type WatchSettings } from '../tools/domains/index.js';
import type { JobEvent, JobQueue } from '../tools/jobs/index.js';
import type { NotificationService } from './notification-service.js';
import type { Outbox } from './outbox/index.js';

export interface DomainWatchProgressOptions {
  jobs: JobQueue;
  mappings: DomainMappingRepo;
  dns: DnsProvider;
  settings: WatchSettings;
  messages: MessageRepo;
  notificationRepo: NotificationRepo;
  notifications: NotificationService;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
}

const ENDED = new Set<JobEvent['type']>(['job.succeeded', 'job.failed', 'job.cancelled', 'job.interrupted']);

/**
 * The domain watch's outcomes, told once: `domain.verified` when a mapping becomes active, `domain.failed`
 * when it fails, to the conversation that asked and to the chats subscribed to the event. Also keeps
 * watches going: a watch that ended without ending its mapping (restart, dead worker) is continued
 * until the mapping's stored deadline. Runs in the service (where the outbox delivers), whichever
 * process ran the watch; each notice is claimed per (event, chat), so several instances send it once.
 */
export class DomainWatchProgress {
  private off: (() => void) | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: DomainWatchProgressOptions) {}

  /** Listens from now on; call before the job queue starts, so watches interrupted by a restart are continued. */
  listen(): void {
    this.off ??= this.options.jobs.onEvent((event) => {
      if (event.job.kind !== WATCH_KIND || !ENDED.has(event.type)) return;
      const mappingId = (event.job.params as { mappingId?: unknown }).mappingId;
      if (typeof mappingId === 'string') this.track(this.settle(mappingId, event));
    });
  }

  /**
   * After the queue started: open mappings whose watch is no longer queued or running are continued
   * (or failed, when their time is over), and ended mappings not told yet are told.
   */
  async resume(): Promise<void> {
    for (const mapping of await this.options.mappings.open()) {
      const job = mapping.watchJobId ? await this.options.jobs.get(mapping.watchJobId) : undefined;
      if (job && (job.status === 'queued' || job.status === 'running')) continue;
      await this.settle(mapping.id, job ? { job } : undefined);
    }
    for (const mapping of await this.options.mappings.untold()) await this.announce(mapping);
  }

  async stop(): Promise<void> {
    this.off?.();
    this.off = undefined;
    await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<void>): void {
    const guarded = work.catch((error: unknown) => this.options.logger.error({ err: toSwitchboardError(error) }, 'domain watch outcome not handled'));
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
  }

  private async settle(mappingId: string, ended: Pick<JobEvent, 'job'> | undefined): Promise<void> {
    const mapping = await this.options.mappings.get(mappingId);
    if (!mapping) return;
    // A job event is stale when the mapping is watched by a newer job already.
    if (ended && mapping.watchJobId && mapping.watchJobId !== ended.job.id) return;
    const now = await continueWatch({ ...this.options, jobs: this.options.jobs }, mapping, ended?.job);
    await this.announce(now);
  }

  /** Tells a mapping's outcome (active or failed) once: to its conversation, then to subscribed chats. */
  async announce(mapping: DomainMapping): Promise<void> {
    if (mapping.state !== 'active' && mapping.state !== 'failed') return;
    if (mapping.notified === mapping.state) return;
    const type = mapping.state === 'active' ? 'domain.verified' : 'domain.failed';
    const id = `${type}:${mapping.id}`;
    const text = describe(mapping, this.options.clock.now());
    const { notificationRepo, messages, outbox, notifications } = this.options;
    if (mapping.conversationId && (await notificationRepo.claim(id, mapping.conversationId, type))) {
      await messages.recordNotification(mapping.conversationId, { text, kind: 'notification', payload: { event: type, eventId: id } });
      await outbox.kick(mapping.conversationId);
    }
    // Chats subscribed to the event hear it too (the asking conversation was claimed above, so it hears it once).
    if (isNotifyEvent(type)) await notifications.publish({ id, type, text });
    await this.options.mappings.markTold(mapping.id, mapping.state);
  }
}

// Both outcomes are told to the asking conversation always, and to chats subscribed to them.
function isNotifyEvent(type: string): type is NotifyEvent {
  return (NOTIFY_EVENTS as readonly string[]).includes(type);
}

function describe(mapping: DomainMapping, now: number): string {
  const label = mapping.dnsProvider === 'sandbox' ? SANDBOX : '';
  const where = `${mapping.app} ${mapping.env}`;
  const check = mapping.lastCheck;
  if (mapping.state === 'active') {
    const took = duration((mapping.activeAt ?? now) - mapping.createdAt);
    return `${label}✅ ${mapping.domain} is verified and points at ${where}: every record is ${check ? seenOnText(check) : 'seen on every name server'} (after ${took}, ${mapping.checks} check${mapping.checks === 1 ? '' : 's'}).`;
  }
  const missing = check ? describeMissing(check) : [];
  return [
    `${label}❌ ${mapping.domain} was not verified for ${where}: ${mapping.reason?.split('. Missing:')[0] ?? 'the watch ended'}.`,
    ...(missing.length ? ['Still missing:', ...missing.map((line) => `• ${line}`)] : []),
    `Say "verify ${mapping.domain}" to check again.`,
  ].join('\n');
}

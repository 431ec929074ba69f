import { ChannelSendError, type ChannelAdapter, type ChannelName, type OutboundMessage, type SentReceipt } from '../../channels/index.js';
import { DEFAULT_RETRY_POLICY, planRetry, sleep, SwitchboardError, toSwitchboardError, type Clock, type Logger, type RetryPolicy, type TimerHandle } from '../../core/index.js';
import type { Conversation, ConversationRepo, MessageRepo, OutboundClaim, StoredMessage, TakenOutbound } from '../../store/index.js';
import { toOutbound } from './to-outbound.js';

/** What one delivery attempt came to. `retrying`: due again at the row's `nextAttemptAt`. */
export type DeliveryOutcome = 'sent' | 'retrying' | 'failed' | 'unknown';

export type SettledListener = (row: StoredMessage, outcome: DeliveryOutcome, error?: SwitchboardError) => Promise<void> | void;

export interface OutboxOptions {
  messages: MessageRepo;
  conversations: ConversationRepo;
  channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  clock: Clock;
  logger: Logger;
  /** Who claims rows (`claimed_by`): this instance. */
  instanceId: string;
  /** Attempts (default 4), backoff and the longest in-process wait (core/retry.ts). */
  policy?: Partial<RetryPolicy>;
  /**
   * Longest one send may take before its outcome counts as unknown (adapters have shorter timeouts
   * of their own; this is the net under them). Default 30 s.
   */
  attemptTimeoutMs?: number;
  /**
   * How often rows of other runs and abandoned attempts are looked for: every `pollMs` (default 2 s)
   * while there is something to do, backing off to `idlePollMs` (default 60 s) while there is not.
   * Rows this instance re-queues have a timer of their own.
   */
  pollMs?: number;
  idlePollMs?: number;
  /** Told of every message that failed for good or whose outcome is unknown, after it is recorded. */
  onFailed?: (message: OutboundMessage, error: SwitchboardError, outcome: 'failed' | 'unknown') => Promise<void>;
}

/** A send that did not finish within the attempt timeout: it may have reached the platform. */
export class DeliveryTimeoutError extends SwitchboardError {
  readonly code = 'delivery_timeout';
  constructor(ms: number) {
    super(`The platform did not answer within ${ms} ms; the message may or may not have been delivered.`);
  }
}

export class NoChannelError extends SwitchboardError {
  readonly code = 'channel_not_running';
  constructor(channel: string) {
    super(`no ${channel} channel is running`);
  }
}

/** Beyond the attempt timeout, the lease covers writing the outcome. */
const LEASE_MARGIN_MS = 10_000;

/**
 * The delivery outbox: the one component that hands outbound messages to channels.
 *
 * Every outbound message (replies, notifications, reminders) is a `pending` row in `messages` first;
 * the outbox delivers them with one retry policy (core/retry.ts):
 * - per conversation one lane, oldest first, so replies keep their order; conversations do not wait
 *   for each other;
 * - each attempt claims its row in the database (`sending`, with a lease), so two instances never
 *   send the same row;
 * - retryable failures (429, 5xx, connection refused) wait with backoff and jitter, at least the
 *   platform's retry-after; a wait up to `maxWaitMs` happens in the lane, a longer one re-queues the
 *   row (`next_attempt_at`) and frees the lane; after the last attempt the row is `failed`;
 * - a send whose outcome is unknown (timeout or connection lost after the request was written, or a
 *   lease that ran out because its process died) is recorded as `unknown` and never sent again
 *   blindly: Telegram, Slack and WhatsApp take no idempotency key, so a repeat could post it twice.
 *   Unknown and failed rows are reported (`onFailed`: the admins hear about them).
 */
export class Outbox {
  private readonly lanes = new Map<string, { run: Promise<void>; again: boolean }>();
  private readonly listeners = new Set<SettledListener>();
  private readonly policy: RetryPolicy;
  private readonly attemptTimeoutMs: number;
  private pollTimer: TimerHandle | undefined;
  private polling: Promise<void> | undefined;
  private pollDelay: number;
  /** One-off timers for rows re-queued past the in-lane bound, by conversation. */
  private readonly retryTimers = new Map<string, TimerHandle>();
  private running = false;
  private stopped = false;
  private wake!: () => void;
  private readonly stopping = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(private readonly options: OutboxOptions) {
    // Four attempts in all, as before the outbox: about 4 s of backoff, then the row is failed and reported.
    this.policy = { ...DEFAULT_RETRY_POLICY, attempts: 4, ...options.policy };
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.pollDelay = options.pollMs ?? 2_000;
  }

  /** Starts the periodic poll (re-queued rows that fell due, rows of other runs, abandoned attempts). */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.arm();
  }

  /** Stops polling; lanes finish their current attempt and stop (waits are cut short, rows stay pending). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    this.wake();
    if (this.pollTimer) this.options.clock.clearTimeout(this.pollTimer);
    for (const timer of this.retryTimers.values()) this.options.clock.clearTimeout(timer);
    this.retryTimers.clear();
    await this.polling;
    while (this.lanes.size > 0) await Promise.allSettled([...this.lanes.values()].map((l) => l.run));
  }

  /** Called after every attempt's outcome is recorded (notification records follow their message). */
  onSettled(listener: SettledListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Delivers what is due in a conversation. Resolves when its lane is idle: everything due was
   * attempted (sent, failed, unknown, or re-queued for later). Never rejects.
   */
  kick(conversationId: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const lane = this.lanes.get(conversationId);
    if (lane) {
      lane.again = true;
      return lane.run;
    }
    return this.startLane(conversationId);
  }

  /**
   * A claim for taking a reply in the statement that stores it (MessageRepo.answerAndTake): this
   * instance, leased as takeNextOutbound's. Undefined once the outbox is stopping.
   */
  claimForAnswer(): OutboundClaim | undefined {
    if (this.stopped) return undefined;
    return { owner: this.options.instanceId, leaseUntil: this.options.clock.now() + this.attemptTimeoutMs + LEASE_MARGIN_MS };
  }

  /**
   * Sends a row its caller has already taken (MessageRepo.answerAndTake), then whatever else is due in
   * its conversation, as `kick` does. The send starts before this returns, with only in-memory work
   * in between. A lane still running in this conversation cannot be overtaken: its next take finds
   * this row `sending` first in the conversation's order and takes nothing. Never rejects.
   */
  deliverTaken(taken: TakenOutbound): Promise<void> {
    return this.startLane(taken.conversation.id, taken);
  }

  /**
   * Runs a conversation's lane and registers it until it ends. A lane still finishing there (only
   * deliverTaken starts one beside it; that lane holds no row, since the answer took this one because
   * none was pending or sending) is waited for with the new one, so stop() and kick() see both end.
   */
  private startLane(conversationId: string, first?: TakenOutbound): Promise<void> {
    const previous = this.lanes.get(conversationId);
    const entry = { run: Promise.resolve(), again: false };
    const lane = this.runLane(conversationId, entry, first).catch((error: unknown) =>
      this.options.logger.error({ err: toSwitchboardError(error), conversation: conversationId }, 'outbox lane failed; the poll will retry'),
    );
    entry.run = (previous ? Promise.all([previous.run, lane]).then(() => undefined) : lane).finally(() => {
      if (this.lanes.get(conversationId) === entry) this.lanes.delete(conversationId);
    });
    this.lanes.set(conversationId, entry);
    return entry.run;
  }

  /**
   * Hands stored rows to their lanes and waits for the first pass. True when every one of them is
   * sent (false: failed, unknown, or still to be retried later).
   */
  async deliver(rows: readonly StoredMessage[]): Promise<boolean> {
    await Promise.all([...new Set(rows.map((r) => r.conversationId))].map((id) => this.kick(id)));
    const after = await Promise.all(rows.map((r) => this.options.messages.findById(r.id)));
    return after.every((r) => r?.status === 'sent');
  }

  /**
   * One poll, awaited: abandoned attempts become `unknown` (and are reported), then every
   * conversation with something due is delivered. Returns how many rows reached an outcome.
   */
  async poll(): Promise<number> {
    let settled = 0;
    const count: SettledListener = (_row, outcome) => {
      if (outcome !== 'retrying') settled++;
    };
    this.listeners.add(count);
    try {
      const abandoned = await this.options.messages.expireSendingLeases();
      for (const row of abandoned) {
        settled++;
        await this.settle(row, 'unknown', new DeliveryTimeoutError(this.attemptTimeoutMs));
      }
      const due = await this.options.messages.conversationsWithDueOutbound();
      const base = this.options.pollMs ?? 2_000;
      this.pollDelay = abandoned.length + due.length > 0 ? base : Math.min(this.pollDelay * 2, this.options.idlePollMs ?? 60_000);
      await Promise.all(due.map((id) => this.kick(id)));
    } finally {
      this.listeners.delete(count);
    }
    return settled;
  }

  private arm(): void {
    if (!this.running) return;
    this.pollTimer = this.options.clock.setTimeout(() => {
      this.polling = this.poll()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.error({ err: toSwitchboardError(error) }, 'outbox poll failed'))
        .finally(() => {
          this.polling = undefined;
          this.arm();
        });
    }, this.pollDelay);
  }

  /** A row re-queued for later (past the in-lane bound): its conversation is tried again when it falls due. */
  private retryLater(conversationId: string, delayMs: number): void {
    if (this.stopped) return;
    const { clock } = this.options;
    const previous = this.retryTimers.get(conversationId);
    if (previous) clock.clearTimeout(previous);
    this.retryTimers.set(
      conversationId,
      clock.setTimeout(() => {
        this.retryTimers.delete(conversationId);
        void this.kick(conversationId);
      }, delayMs),
    );
  }

  /** `first`: a row already taken for this lane (deliverTaken); it is attempted even when stopping, as a take in flight would be. */
  private async runLane(conversationId: string, lane: { again: boolean }, first?: TakenOutbound): Promise<void> {
    const { messages, clock, instanceId } = this.options;
    let given = first;
    while (given || !this.stopped) {
      const taken = given ?? (await messages.takeNextOutbound(conversationId, instanceId, clock.now() + this.attemptTimeoutMs + LEASE_MARGIN_MS));
      given = undefined;
      if (!taken) {
        if (!lane.again) return;
        lane.again = false;
        continue;
      }
      const wait = await this.attempt(taken.message, taken.conversation, taken.lastInboundAt);
      // A short wait (within the bound) is done here: only this conversation waits, in order.
      if (wait !== undefined) {
        await Promise.race([sleep(clock, wait), this.stopping]);
        continue;
      }
      // Nothing more was waiting when this row was taken, and nothing was stored here since: the lane is
      // done without asking again. A row another instance stores meanwhile is its own kick's, or the poll's.
      if (!taken.more && !lane.again) return;
    }
  }

  /**
   * One attempt at one row, already marked on the wire (takeNextOutbound): the platform call comes
   * next, with nothing but in-memory work before it. Returns how long to wait before the next, when it
   * is worth waiting for.
   */
  private async attempt(row: StoredMessage, conversation: Conversation, lastInboundAt?: number): Promise<number | undefined> {
    const { messages, channels, clock, logger } = this.options;
    const outbound: OutboundMessage = { ...toOutbound(row, conversation), ...(lastInboundAt !== undefined ? { lastInboundAt } : {}) };
    const channel = channels.get(outbound.channel);
    if (!channel) {
      const error = new NoChannelError(outbound.channel);
      await messages.markFailed(row.id, error.message);
      await this.settle(row, 'failed', error, outbound);
      return undefined;
    }
    let receipt: SentReceipt;
    try {
      receipt = await this.sendWithin(channel, outbound);
    } catch (error) {
      const normalised = toSwitchboardError(error);
      const unknown = error instanceof DeliveryTimeoutError || (error instanceof ChannelSendError && error.outcomeUnknown);
      const retryable = !unknown && error instanceof ChannelSendError && error.retryable && row.attempts < this.policy.attempts;
      logger.warn(
        { err: normalised, channel: outbound.channel, messageId: row.id, attempt: row.attempts, outcome: unknown ? 'unknown' : retryable ? 'retrying' : 'failed' },
        'delivery failed',
      );
      if (unknown) {
        await messages.markUnknown(row.id, normalised.message);
        await this.settle(row, 'unknown', normalised, outbound);
        return undefined;
      }
      if (retryable) {
        const plan = planRetry(this.policy, row.attempts, (error as ChannelSendError).retryAfterMs);
        await messages.requeueOutbound(row.id, clock.now() + plan.delayMs, normalised.message);
        await this.settle({ ...row, nextAttemptAt: clock.now() + plan.delayMs }, 'retrying', normalised);
        if (plan.withinBound) return plan.delayMs;
        this.retryLater(row.conversationId, plan.delayMs);
        return undefined;
      }
      await messages.markFailed(row.id, normalised.message);
      await this.settle(row, 'failed', normalised, outbound);
      return undefined;
    }
    // The platform has it. Recording that must never turn into "failed" (and a failure notice): a
    // store that is away is waited out for as long as the row's lease lasts.
    await this.recordSent(row, receipt);
    await this.settle(row, 'sent');
    return undefined;
  }

  /** markSent, retried while the store is away, for at most the row's lease (then it is `unknown`, and corrected when this lands). */
  private async recordSent(row: StoredMessage, receipt: SentReceipt): Promise<void> {
    const { messages, clock, logger } = this.options;
    const until = clock.now() + this.attemptTimeoutMs + LEASE_MARGIN_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        await messages.markSent(row.id, receipt.platformMessageId);
        return;
      } catch (error) {
        if (clock.now() >= until || this.stopped) {
          logger.error({ err: toSwitchboardError(error), messageId: row.id }, 'a delivered message could not be recorded as sent');
          return;
        }
        await Promise.race([sleep(clock, Math.min(250 * 2 ** (attempt - 1), 5_000)), this.stopping]);
      }
    }
  }

  /**
   * The adapter's send, bounded by the attempt timeout on the injected clock. A send that answers
   * after the timeout still counts: its row is marked sent then (the truth beats `unknown`).
   */
  private sendWithin(channel: ChannelAdapter, message: OutboundMessage): Promise<SentReceipt> {
    const { clock, messages, logger } = this.options;
    return new Promise<SentReceipt>((resolve, reject) => {
      let late = false;
      const timer = clock.setTimeout(() => {
        late = true;
        reject(new DeliveryTimeoutError(this.attemptTimeoutMs));
      }, this.attemptTimeoutMs);
      channel.send(message).then(
        (receipt) => {
          clock.clearTimeout(timer);
          if (!late) return resolve(receipt);
          logger.info({ messageId: message.id, channel: message.channel }, 'a delivery thought lost was answered late: recorded as sent');
          void messages.markSent(message.id, receipt.platformMessageId).catch(() => {});
        },
        (error: unknown) => {
          clock.clearTimeout(timer);
          if (!late) reject(error);
        },
      );
    });
  }

  private async settle(row: StoredMessage, outcome: DeliveryOutcome, error?: SwitchboardError, outbound?: OutboundMessage): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        await listener(row, outcome, error);
      } catch (listenerError) {
        this.options.logger.error({ err: toSwitchboardError(listenerError) }, 'outbox listener failed');
      }
    }
    if ((outcome === 'failed' || outcome === 'unknown') && this.options.onFailed && error) {
      const message = outbound ?? (await this.outboundOf(row));
      if (!message) return;
      await this.options.onFailed(message, error, outcome).catch((hookError: unknown) =>
        this.options.logger.error({ err: toSwitchboardError(hookError) }, 'delivery failure hook failed'),
      );
    }
  }

  private async outboundOf(row: StoredMessage): Promise<OutboundMessage | undefined> {
    const conversation = await this.options.conversations.findById(row.conversationId);
    return conversation ? toOutbound(row, conversation) : undefined;
  }
}

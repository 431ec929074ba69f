import { ChannelSendError, type ChannelAdapter, type ChannelName, type InboundMessage, type OutboundMessage, type ReplyDraft, type TurnOutcome } from '../channels/index.js';
import { sleep, type Clock } from '../core/clock.js';
import { SwitchboardError, toSwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Role } from '../core/roles.js';
import type { ConversationRepo, HotStore, MessageRepo, PeopleRepo, StoredMessage, Conversation } from '../store/index.js';
import type { Turn, TurnHandler } from './turn.js';

type Accepted = { status: 'new'; claimKey: string; turn: Turn } | { status: 'done'; outcome: TurnOutcome };

export class ServiceStoppingError extends SwitchboardError {
  readonly code = 'service_stopping';
  override readonly status = 503;
  constructor() {
    super('The service is shutting down; try again in a moment.');
  }
}

export interface MessagePipelineOptions {
  people: PeopleRepo;
  conversations: ConversationRepo;
  messages: MessageRepo;
  hot: HotStore;
  clock: Clock;
  logger: Logger;
  handler: TurnHandler;
  /** The role a person gets the first time they write on a channel. */
  defaultRole: (channel: ChannelName) => Role;
  /** Adapters that deliver replies, by channel. */
  channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  lock: { ttlMs: number; waitMs: number };
  /** Delivery attempts for a retryable failure (429, 5xx, network), with exponential backoff. Default 4. */
  deliveryAttempts?: number;
  /** Messages a person, and a conversation, may send per minute; beyond it they are recorded, not handled. */
  rateLimit?: { perUserPerMinute: number; perConversationPerMinute: number };
  /** Receives every failure with the message it happened on (grammY's bot.catch). */
  onError?: (error: SwitchboardError, message: InboundMessage) => void;
  /** Told of every delivery that failed for good, after it is recorded. */
  onDeliveryFailed?: (message: OutboundMessage, error: SwitchboardError) => Promise<void>;
}

const SLOW_DOWN = "You're sending messages faster than I can handle them. Please wait a minute and send again what still needs an answer.";
const APOLOGY = "Sorry, something went wrong on my side and I couldn't handle that. Please try again in a moment.";

/**
 * The path of one message (see ARCHITECTURE.md): de-duplicate → identify → lock the conversation →
 * persist → handle → persist the replies and mark the message answered in one transaction → deliver.
 *
 * A platform retry of a message already answered gets the stored replies back and acts no second
 * time. A crash between receiving and answering leaves the message stored as `received` with no
 * replies; `recoverUnanswered()` (run at start) or the platform's retry handles it again.
 */
export class MessagePipeline {
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly options: MessagePipelineOptions) {}

  /** Handles one inbound message. Resolves once the replies are stored and handed to the channel. */
  handleInbound = (message: InboundMessage): Promise<TurnOutcome> =>
    this.track(async () => {
      const accepted = await this.accept(message);
      return accepted.status === 'new' ? this.process(accepted) : accepted.outcome;
    });

  /**
   * For webhook channels that must acknowledge quickly: resolves once the message is durably
   * stored (so acknowledging cannot lose it), and handles it in the background.
   */
  enqueueInbound = (message: InboundMessage): Promise<void> =>
    this.track(async () => {
      const accepted = await this.accept(message);
      if (accepted.status !== 'new') return;
      const background = this.process(accepted).catch((error: unknown) => this.report(error, message));
      this.inFlight.add(background);
      void background.finally(() => this.inFlight.delete(background));
    });

  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopping) return Promise.reject(new ServiceStoppingError());
    const promise = work();
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => {});
    return promise;
  }

  /** Phase one: de-duplicate, identify and store the message. */
  private async accept(message: InboundMessage): Promise<Accepted> {
    const { conversations, people, messages, hot, lock } = this.options;
    const conversation = await conversations.ensure(message.channel, message.conversation, message.thread ?? '');
    // The hot claim turns away a retry that arrives while the first delivery is still being handled;
    // the durable record (unique per conversation and message id) turns away the rest.
    const claimKey = `inbound:${conversation.id}:${message.messageId}`;
    if (!(await hot.claim(claimKey, lock.ttlMs))) return { status: 'done', outcome: { status: 'busy', replies: [] } };
    const limited = await this.overRateLimit(message, conversation);
    if (limited) {
      await hot.delete(claimKey);
      return { status: 'done', outcome: limited };
    }
    try {
      const person = await people.resolve(
        message.channel,
        message.user.id,
        message.user.displayName,
        this.options.defaultRole(message.channel),
      );
      const { message: inbound, created } = await messages.recordInbound({
        conversationId: conversation.id,
        platformMessageId: message.messageId,
        personId: person.id,
        text: message.text,
        payload: { inbound: message },
      });
      if (!created && inbound.status === 'answered') {
        await hot.delete(claimKey);
        const stored = await messages.repliesTo(inbound.id);
        return { status: 'done', outcome: { status: 'duplicate', replies: stored.map((m) => this.toOutbound(m, conversation)) } };
      }
      return { status: 'new', claimKey, turn: { message, person, conversation, inbound } };
    } catch (error) {
      await hot.delete(claimKey).catch(() => {});
      throw error;
    }
  }

  /**
   * A flood gets one polite message, not one per message: past the per-person or per-conversation
   * limit, messages are stored as `rate_limited` (never silently dropped) and not handled, and the
   * sender hears about it once a minute.
   */
  private async overRateLimit(message: InboundMessage, conversation: Conversation): Promise<TurnOutcome | undefined> {
    const limits = this.options.rateLimit;
    if (!limits) return undefined;
    const { hot, people, messages } = this.options;
    const [user, room] = await Promise.all([
      hot.hit(`rate:user:${message.channel}:${message.user.id}`, 60_000),
      hot.hit(`rate:conversation:${conversation.id}`, 60_000),
    ]);
    if (user.count <= limits.perUserPerMinute && room.count <= limits.perConversationPerMinute) return undefined;
    const person = await people.resolve(message.channel, message.user.id, message.user.displayName, this.options.defaultRole(message.channel));
    const { message: stored, created } = await messages.recordInbound({
      conversationId: conversation.id,
      platformMessageId: message.messageId,
      personId: person.id,
      text: message.text,
      payload: { inbound: message },
      status: 'rate_limited',
    });
    if (!created) return { status: 'duplicate', replies: [] };
    this.options.logger.warn({ channel: message.channel, conversation: conversation.id }, 'rate limit reached: message recorded, not handled');
    if (!(await hot.claim(`rate-notice:${conversation.id}:${message.user.id}`, 60_000))) return { status: 'rate_limited', replies: [] };
    const [notice] = await messages.answer(stored, [{ text: SLOW_DOWN, kind: 'reply' }], 'rate_limited');
    const replies = [this.toOutbound(notice!, conversation)];
    await this.deliver(replies);
    return { status: 'rate_limited', replies };
  }

  /** Phase two: in conversation order, think, store the replies with the answer mark, deliver. */
  private async process(accepted: Extract<Accepted, { status: 'new' }>): Promise<TurnOutcome> {
    const { hot, messages, handler, lock: lockOptions } = this.options;
    const { turn, claimKey } = accepted;
    try {
      const lock = await hot.lock(`conversation:${turn.conversation.id}`, lockOptions);
      try {
        const drafts = await this.think(() => handler.handle(turn), turn.message);
        const stored = await messages.answer(
          turn.inbound,
          drafts.map((d) => ({ text: d.text, kind: 'reply' as const, payload: d.buttons ? { buttons: d.buttons } : {} })),
        );
        const replies = stored.map((m) => this.toOutbound(m, turn.conversation));
        // Delivered while the lock is held, so replies of one conversation leave in order.
        await this.deliver(replies);
        return { status: 'answered', replies };
      } finally {
        await lock.release();
      }
    } finally {
      await hot.delete(claimKey).catch(() => {});
    }
  }

  /** Runs the handler; a failure becomes an apology to the user and an error report, never a crash. */
  private async think(handle: () => Promise<ReplyDraft[]>, message: InboundMessage): Promise<ReplyDraft[]> {
    try {
      return await handle();
    } catch (error) {
      this.report(error, message);
      return [{ text: APOLOGY }];
    }
  }

  /**
   * Hands messages to their channel and records the outcome. A retryable failure (ChannelSendError
   * with `retryable`: 429, 5xx, network) is tried again with exponential backoff, waiting at least
   * the platform's retry-after; anything else, or the last attempt, is recorded as failed. Nothing
   * is lost silently: the row stays, with its error. Returns whether every message went out.
   */
  async deliver(replies: OutboundMessage[]): Promise<boolean> {
    let all = true;
    for (const reply of replies) {
      const channel = this.options.channels.get(reply.channel);
      if (!channel) {
        await this.options.messages.markFailed(reply.id, `no ${reply.channel} channel is running`);
        all = false;
        continue;
      }
      const attempts = this.options.deliveryAttempts ?? 4;
      for (let attempt = 1; ; attempt++) {
        try {
          const receipt = await channel.send(reply);
          await this.options.messages.markSent(reply.id, receipt.platformMessageId);
          break;
        } catch (error) {
          const normalised = toSwitchboardError(error);
          const retryable = error instanceof ChannelSendError && error.retryable && attempt < attempts;
          this.options.logger.warn(
            { err: normalised, channel: reply.channel, messageId: reply.id, attempt, willRetry: retryable },
            'delivery failed',
          );
          if (!retryable) {
            await this.options.messages.markFailed(reply.id, normalised.message);
            all = false;
            await this.options.onDeliveryFailed?.(reply, normalised).catch((hookError: unknown) =>
              this.options.logger.error({ err: toSwitchboardError(hookError) }, 'delivery failure hook failed'),
            );
            break;
          }
          const backoff = Math.min(500 * 2 ** (attempt - 1), 10_000);
          await sleep(this.options.clock, Math.max(backoff, error.retryAfterMs ?? 0));
        }
      }
    }
    return all;
  }

  /**
   * Handles again every message that was received but never answered (the service stopped or
   * crashed mid-turn). Only messages older than the lock TTL are taken, so a turn still running
   * on another instance is left alone.
   */
  async recoverUnanswered(): Promise<number> {
    const stale = await this.options.messages.unanswered(this.options.clock.now() - this.options.lock.ttlMs);
    let recovered = 0;
    for (const row of stale) {
      const inbound = (row.payload as { inbound?: InboundMessage }).inbound;
      if (!inbound) continue;
      try {
        const outcome = await this.handleInbound(inbound);
        if (outcome.status === 'answered') recovered++;
      } catch (error) {
        this.report(error, inbound);
      }
    }
    if (recovered > 0) this.options.logger.info({ recovered }, 'answered messages left unanswered by an earlier run');
    return recovered;
  }

  /**
   * Delivers replies and notifications an earlier run stored but did not hand to their channel. At
   * least once: a crash after the platform accepted a message but before it was marked sent repeats it.
   */
  async recoverUndelivered(): Promise<number> {
    const { messages, conversations, clock, lock } = this.options;
    const pending = await messages.undelivered(clock.now() - lock.ttlMs);
    for (const stored of pending) {
      const conversation = await conversations.findById(stored.conversationId);
      if (conversation) await this.deliver([this.toOutbound(stored, conversation)]);
    }
    if (pending.length > 0) this.options.logger.info({ delivered: pending.length }, 'delivered messages an earlier run stored but did not send');
    return pending.length;
  }

  /** Stops taking new messages and waits for the ones in flight. */
  async drain(): Promise<void> {
    this.stopping = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private report(error: unknown, message: InboundMessage): void {
    const normalised = toSwitchboardError(error);
    this.options.logger.error(
      { err: normalised, channel: message.channel, messageId: message.messageId },
      'turn failed',
    );
    this.options.onError?.(normalised, message);
  }

  toOutbound(stored: StoredMessage, conversation: Conversation): OutboundMessage {
    const buttons = (stored.payload as { buttons?: OutboundMessage['buttons'] }).buttons;
    return {
      id: stored.id,
      channel: conversation.channel as ChannelName,
      conversation: conversation.externalId,
      ...(conversation.thread ? { thread: conversation.thread } : {}),
      text: stored.text,
      ...(buttons ? { buttons } : {}),
      kind: stored.kind === 'notification' ? 'notification' : 'reply',
      ...(stored.inReplyTo ? { inReplyTo: stored.inReplyTo } : {}),
      createdAt: stored.createdAt,
    };
  }
}

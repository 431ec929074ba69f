import { randomUUID } from 'node:crypto';
import type { ChannelName, InboundMessage, OutboundMessage, ReplyDraft, TurnOutcome } from '../channels/index.js';
import { LockTimeoutError, SwitchboardError, toSwitchboardError, type Clock, type Logger, type Role, type TimerHandle } from '../core/index.js';
import { isStoreUnavailable, toStoreError, type ConversationRepo, type HotLock, type HotStore, type MessageRepo, type PeopleRepo, type StoredMessage, type Conversation, type CheckpointSink } from '../store/index.js';
import { toOutbound, type Outbox } from './outbox/index.js';
import type { Turn, TurnHandler } from './turn.js';

/**
 * `storedNowAt`: set when this call stored the message itself (it did not exist before) and took its
 * claim at that time; until the claim could have lapsed, nobody else can have answered it.
 */
type Accepted = { status: 'new'; claimKey: string; turn: Turn; storedNowAt?: number } | { status: 'done'; outcome: TurnOutcome };

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
  /** Delivers every outbound message (bot/outbox): the pipeline only stores replies and kicks it. */
  outbox: Outbox;
  lock: { ttlMs: number; waitMs: number };
  /** Who this process is, on claims (`inbound:*` in the hot tier). Default: a random id. */
  instanceId?: string;
  /**
   * The sweeper: every `everyMs`, messages stored as received more than `graceMs` ago whose claim is
   * not live are handled (their turn died, timed out on the lock, or their redelivery met a dead
   * process's claim). While none are found it backs off to `idleMs`, and is woken again by a lock
   * timeout or a redelivery that met a claim. Defaults 5 s, 60 s, and 2 s (at most the lock TTL).
   */
  sweep?: { everyMs?: number; idleMs?: number; graceMs?: number };
  /** Messages a person, and a conversation, may send per minute; beyond it they are recorded, not handled. */
  rateLimit?: { perUserPerMinute: number; perConversationPerMinute: number };
  /** Receives every failure with the message it happened on (grammY's bot.catch). */
  onError?: (error: SwitchboardError, message: InboundMessage) => void;
}

const SLOW_DOWN = "You're sending messages faster than I can handle them. Please wait a minute and send again what still needs an answer.";
const APOLOGY = "Sorry, something went wrong on my side and I couldn't handle that. Please try again in a moment.";

/**
 * The path of one message (see ARCHITECTURE.md): de-duplicate → identify → persist → lock the
 * conversation → handle → persist the replies and mark the message answered in one transaction →
 * release the lock → the outbox delivers.
 *
 * Acknowledged means answered: a message that is stored but not answered (its turn crashed, it timed
 * out waiting for the conversation's lock, or its redelivery met the live claim of a dead process) is
 * picked up by the sweeper once no live claim covers it, on this or any instance, without a restart.
 * A platform retry of a message already answered gets the stored replies back and acts no second time.
 */
export class MessagePipeline {
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  readonly instanceId: string;
  private sweepTimer: TimerHandle | undefined;
  private sweepDelay: number;
  private readonly sweeping = new Set<string>();

  constructor(private readonly options: MessagePipelineOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.sweepDelay = options.sweep?.everyMs ?? 5_000;
  }

  /**
   * Handles one inbound message. Resolves with the replies once they are stored and the outbox's first
   * pass over the conversation is done (the conversation's lock is not held meanwhile).
   */
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
      this.background(this.process(accepted).catch((error: unknown) => this.report(error, message)));
    });

  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopping) return Promise.reject(new ServiceStoppingError());
    const promise = work();
    this.background(promise);
    return promise;
  }

  private background(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => {});
  }

  private claimKey(conversation: Conversation, messageId: string): string {
    return `inbound:${conversation.id}:${messageId}`;
  }

  /** Phase one: de-duplicate, identify and store the message. */
  private async accept(message: InboundMessage): Promise<Accepted> {
    const { conversations, hot, lock } = this.options;
    const conversation = await conversations.ensure(message.channel, message.conversation, message.thread ?? '');
    // The hot claim turns away a retry that arrives while the first delivery is still being handled;
    // the durable record (unique per conversation and message id) turns away the rest.
    const claimKey = this.claimKey(conversation, message.messageId);
    const claimedAt = this.options.clock.now();
    if (!(await hot.claim(claimKey, lock.ttlMs, this.instanceId))) {
      // Being handled here or elsewhere, or held by a process that died. Stored either way (idempotent):
      // if the holder is dead, the sweeper answers it once the claim expires. Never acknowledged and dropped.
      const { inbound } = await this.store(message, conversation);
      if (inbound.status === 'answered') return { status: 'done', outcome: await this.duplicate(inbound, conversation) };
      this.wakeSweeper();
      return { status: 'done', outcome: { status: 'busy', replies: [] } };
    }
    const limited = await this.overRateLimit(message, conversation).catch(async (error: unknown) => {
      await hot.delete(claimKey).catch(() => {});
      throw error;
    });
    if (limited) {
      await hot.delete(claimKey);
      return { status: 'done', outcome: limited };
    }
    try {
      const { person, inbound, created } = await this.store(message, conversation);
      if (!created && inbound.status === 'answered') {
        await hot.delete(claimKey);
        return { status: 'done', outcome: await this.duplicate(inbound, conversation) };
      }
      return { status: 'new', claimKey, turn: { message, person, conversation, inbound }, ...(created ? { storedNowAt: claimedAt } : {}) };
    } catch (error) {
      await hot.delete(claimKey).catch(() => {});
      throw error;
    }
  }

  /** The sender as a person, and the message stored once per (conversation, message id). */
  private async store(message: InboundMessage, conversation: Conversation, status?: 'rate_limited') {
    const { people, messages } = this.options;
    const record = {
      conversationId: conversation.id,
      platformMessageId: message.messageId,
      text: message.text,
      payload: { inbound: message },
      ...(status ? { status } : {}),
    };
    const { displayName } = message.user;
    // Someone known: the person and the stored message in one statement (every turn but a sender's first).
    const known = await messages.recordInboundFromIdentity({ channel: message.channel, externalId: message.user.id }, record);
    if (known) {
      if (known.person.displayName || !displayName) return { person: known.person, inbound: known.message, created: known.created };
      // Granted a role before they first wrote: learn their name now (as PeopleRepo.resolve does).
      await people.setDisplayName(known.person.id, displayName);
      return { person: { ...known.person, displayName }, inbound: known.message, created: known.created };
    }
    const person = await people.resolve(message.channel, message.user.id, displayName, this.options.defaultRole(message.channel));
    const { message: inbound, created } = await messages.recordInbound({ ...record, personId: person.id });
    return { person, inbound, created };
  }

  private async duplicate(inbound: StoredMessage, conversation: Conversation): Promise<TurnOutcome> {
    const stored = await this.options.messages.repliesTo(inbound.id);
    return { status: 'duplicate', replies: stored.map((m) => toOutbound(m, conversation)) };
  }

  /**
   * A flood gets one polite message, not one per message: past the per-person or per-conversation
   * limit, messages are stored as `rate_limited` (never silently dropped) and not handled, and the
   * sender hears about it once a minute.
   */
  private async overRateLimit(message: InboundMessage, conversation: Conversation): Promise<TurnOutcome | undefined> {
    const limits = this.options.rateLimit;
    if (!limits) return undefined;
    const { hot, people, messages, outbox } = this.options;
    const [user, room] = await Promise.all([
      hot.hit(`rate:user:${message.channel}:${message.user.id}`, 60_000),
      hot.hit(`rate:conversation:${conversation.id}`, 60_000),
    ]);
    if (user.count <= limits.perUserPerMinute && room.count <= limits.perConversationPerMinute) return undefined;
    const { inbound: stored, created } = await this.store(message, conversation, 'rate_limited');
    if (!created) return { status: 'duplicate', replies: [] };
    this.options.logger.warn({ channel: message.channel, conversation: conversation.id }, 'rate limit reached: message recorded, not handled');
    if (!(await hot.claim(`rate-notice:${conversation.id}:${message.user.id}`, 60_000))) return { status: 'rate_limited', replies: [] };
    const [notice] = await messages.answer(stored, [{ text: SLOW_DOWN, kind: 'reply' }], 'rate_limited');
    await outbox.kick(conversation.id);
    return { status: 'rate_limited', replies: [toOutbound(notice!, conversation)] };
  }

  /**
   * Phase two, in conversation order: think, store the replies with the answer mark, release the
   * lock, let the outbox deliver. A turn that cannot get the lock in time leaves its message stored
   * and unclaimed, so the sweeper tries it again; the lock and the claim are extended while it runs.
   */
  private async process(accepted: Extract<Accepted, { status: 'new' }>): Promise<TurnOutcome> {
    const { hot, messages, handler, outbox, logger, lock: lockOptions } = this.options;
    const { turn, claimKey } = accepted;
    try {
      let lock: HotLock;
      try {
        lock = await hot.lock(`conversation:${turn.conversation.id}`, lockOptions);
      } catch (error) {
        if (!(error instanceof LockTimeoutError)) throw error;
        logger.warn({ conversation: turn.conversation.id, messageId: turn.message.messageId }, 'conversation lock not free in time: the message stays queued for the sweeper');
        this.wakeSweeper();
        return { status: 'busy', replies: [] };
      }
      let stored: StoredMessage[];
      let delivery: Promise<void> | undefined;
      const keepAlive = this.keepAlive(lock, claimKey);
      try {
        // Another turn (the sweeper elsewhere, after this claim had lapsed) may have answered it meanwhile,
        // unless the message was stored by this very call and its claim is young (one read less per turn).
        const claimYoung = accepted.storedNowAt !== undefined && this.options.clock.now() - accepted.storedNowAt < lockOptions.ttlMs / 2;
        if (!claimYoung) {
          const current = await messages.findById(turn.inbound.id);
          if (current?.status === 'answered') return await this.duplicate(current, turn.conversation);
        }
        // The handler's state (the agent's checkpoint) is stored with the answer, in one statement.
        const withAnswer: CheckpointSink = {};
        const drafts = await this.think(() => handler.handle({ ...turn, withAnswer }), turn.message);
        const replies = drafts.map((d) => ({ text: d.text, kind: 'reply' as const, payload: d.buttons ? { buttons: d.buttons } : {} }));
        // The same statement takes the first reply for the outbox when its lane is free (one statement fewer):
        // its send starts here, before the lock's release is awaited, as right after a take.
        const claim = outbox.claimForAnswer();
        if (claim) {
          const answered = await messages.answerAndTake(turn.inbound, turn.conversation, replies, withAnswer.checkpoint, claim);
          stored = answered.replies;
          if (answered.taken) delivery = outbox.deliverTaken(answered.taken);
        } else {
          stored = await messages.answer(turn.inbound, replies, 'answered', withAnswer.checkpoint);
        }
      } finally {
        keepAlive();
        await lock.release();
      }
      // Stored and answered: from here the outbox owns delivery; the lock is already free.
      await (delivery ?? outbox.kick(turn.conversation.id));
      return { status: 'answered', replies: stored.map((m) => toOutbound(m, turn.conversation)) };
    } finally {
      await hot.delete(claimKey).catch(() => {});
    }
  }

  /**
   * Extends the turn's lock and claim every third of their TTL while the turn runs (a long voice note
   * or a slow model call), so the conversation's next message never runs at the same time. Returns
   * the function that stops it.
   */
  private keepAlive(lock: HotLock, claimKey: string): () => void {
    const { clock, hot, logger, lock: lockOptions } = this.options;
    let timer: TimerHandle | undefined;
    let stopped = false;
    const every = Math.max(Math.floor(lockOptions.ttlMs / 3), 1);
    const arm = () => {
      timer = clock.setTimeout(() => {
        void Promise.all([lock.extend(lockOptions.ttlMs), hot.renewClaim(claimKey, this.instanceId, lockOptions.ttlMs)])
          .then(([extended]) => {
            if (!extended) logger.warn({ lock: lock.key }, 'turn lock was lost before the turn ended');
          })
          .catch((error: unknown) => logger.warn({ err: toSwitchboardError(error), lock: lock.key }, 'could not extend the turn lock'))
          .finally(() => {
            if (!stopped) arm();
          });
      }, every);
    };
    arm();
    return () => {
      stopped = true;
      if (timer) clock.clearTimeout(timer);
    };
  }

  /** Runs the handler; a failure becomes an apology to the user and an error report, never a crash. */
  private async think(handle: () => Promise<ReplyDraft[]>, message: InboundMessage): Promise<ReplyDraft[]> {
    try {
      return await handle();
    } catch (error) {
      // A store that is away is not the turn's fault: the message stays `received` and unclaimed, so
      // a platform retry (503) or the sweeper answers it once the store is back, instead of an apology.
      if (isStoreUnavailable(error)) throw toStoreError(error);
      this.report(error, message);
      return [{ text: APOLOGY }];
    }
  }

  /**
   * Delivers messages already stored, through the outbox, and waits for its first pass. Returns
   * whether every one of them was sent. (Kept for callers that stored a row themselves.)
   */
  async deliver(replies: OutboundMessage[]): Promise<boolean> {
    const rows = (await Promise.all(replies.map((r) => this.options.messages.findById(r.id)))).filter((r): r is StoredMessage => r !== undefined);
    if (rows.length < replies.length) return false;
    return this.options.outbox.deliver(rows);
  }

  /** Starts the periodic sweep for acknowledged messages left unanswered. */
  startSweeper(): void {
    if (this.stopping || this.sweepTimer) return;
    this.armSweep();
  }

  private armSweep(): void {
    const { clock, logger, sweep } = this.options;
    if (this.sweepTimer) clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep(false)
        .then((found) => {
          const base = sweep?.everyMs ?? 5_000;
          this.sweepDelay = found > 0 ? base : Math.min(this.sweepDelay * 2, sweep?.idleMs ?? 60_000);
        })
        .catch((error: unknown) => logger.error({ err: toSwitchboardError(error) }, 'sweep failed'))
        .finally(() => {
          if (!this.stopping && !this.sweepTimer) this.armSweep();
        });
    }, this.sweepDelay);
  }

  /** Something is waiting for the sweeper: back to its short interval. */
  private wakeSweeper(): void {
    const base = this.options.sweep?.everyMs ?? 5_000;
    if (this.stopping || this.sweepDelay <= base) return;
    this.sweepDelay = base;
    if (this.sweepTimer) this.armSweep();
  }

  /**
   * Handles again every message that was received but not answered and that no live claim covers.
   * Messages of one conversation are taken in order, conversations in parallel. With `wait`, resolves
   * when they are handled and returns how many were answered; otherwise they run in the background
   * and it returns how many unanswered messages it found.
   */
  async sweep(wait = true): Promise<number> {
    const { messages, clock, sweep, lock } = this.options;
    const stale = await messages.unanswered(clock.now() - (sweep?.graceMs ?? Math.min(2_000, lock.ttlMs)));
    const byConversation = new Map<string, StoredMessage[]>();
    for (const row of stale) {
      const rows = byConversation.get(row.conversationId);
      if (rows) rows.push(row);
      else byConversation.set(row.conversationId, [row]);
    }
    let answered = 0;
    const runs: Promise<void>[] = [];
    for (const [conversationId, rows] of byConversation) {
      if (this.sweeping.has(conversationId)) continue;
      this.sweeping.add(conversationId);
      const run = (async () => {
        for (const row of rows) {
          if (this.stopping) return;
          const outcome = await this.resume(row);
          if (outcome?.status === 'answered') answered++;
        }
      })()
        .catch((error: unknown) => this.options.logger.error({ err: toSwitchboardError(error), conversation: conversationId }, 'sweep of a conversation failed'))
        .finally(() => this.sweeping.delete(conversationId));
      this.background(run);
      runs.push(run);
    }
    if (!wait) return stale.length;
    await Promise.all(runs);
    if (answered > 0) this.options.logger.info({ answered }, 'answered messages that had been left unanswered');
    return answered;
  }

  /** Takes one stored, unanswered message through phase two, if no one else holds its claim. */
  private async resume(row: StoredMessage): Promise<TurnOutcome | undefined> {
    const { conversations, people, hot, lock } = this.options;
    const message = (row.payload as { inbound?: InboundMessage }).inbound;
    if (!message || !row.personId) return undefined;
    const conversation = await conversations.findById(row.conversationId);
    const person = await people.findById(row.personId);
    if (!conversation || !person) return undefined;
    const claimKey = this.claimKey(conversation, row.platformMessageId ?? message.messageId);
    if (!(await hot.claim(claimKey, lock.ttlMs, this.instanceId))) return undefined;
    try {
      return await this.process({ status: 'new', claimKey, turn: { message, person, conversation, inbound: row } });
    } catch (error) {
      this.report(error, message);
      return undefined;
    }
  }

  /** At start: messages an earlier run left unanswered (see `sweep`). */
  recoverUnanswered(): Promise<number> {
    return this.sweep(true);
  }

  /**
   * At start: replies and notifications an earlier run stored but did not deliver. Rows the platform
   * accepted (`sent`) or may have accepted (`unknown`, or `sending` already on the wire when the run
   * died) are never sent again; a `sending` row that never reached the platform call is sent.
   */
  recoverUndelivered(): Promise<number> {
    return this.options.outbox.poll();
  }

  /** Stops taking new messages and waits for the ones in flight. */
  async drain(): Promise<void> {
    this.stopping = true;
    if (this.sweepTimer) this.options.clock.clearTimeout(this.sweepTimer);
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
    return toOutbound(stored, conversation);
  }
}

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import type { Turn, TurnHandler } from '../../bot/turn.js';
import { ServiceStoppingError } from '../../bot/message-pipeline.js';
import { ChannelSendError, type ChannelAdapter, type InboundMessage, type OutboundMessage, type ReplyDraft } from '../../channels/index.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Stores } from '../../store/open-stores.js';
import { memoryStores } from '../support/memory-stores.js';
import { testConfig } from '../support/test-config.js';
import { truncateAll } from '../store/durable/durable-store.contract.js';

/** A handler whose behaviour each test scripts; it records every turn it sees. */
class ScriptedHandler implements TurnHandler {
  seen: string[] = [];
  events: string[] = [];
  behaviour: (turn: Turn) => Promise<ReplyDraft[]> = async (turn) => [{ text: `echo: ${turn.message.text}` }];
  async handle(turn: Turn): Promise<ReplyDraft[]> {
    this.seen.push(turn.message.text);
    return this.behaviour(turn);
  }
}

/** A channel that records what it was asked to deliver, and can be told to fail. */
class RecordingChannel implements ChannelAdapter {
  readonly name = 'slack';
  sent: OutboundMessage[] = [];
  failNext = false;
  /** Failures to throw before succeeding: retryable ones, like a platform's 429 and 503. */
  transient: ChannelSendError[] = [];
  attempts = 0;
  async start() {}
  async stop() {}
  async send(message: OutboundMessage) {
    this.attempts++;
    const transient = this.transient.shift();
    if (transient) throw transient;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('platform said 500');
    }
    this.sent.push(message);
    return { platformMessageId: `p-${this.sent.length}` };
  }
}

const clock = new SystemClock();
let stores: Stores;
let handler: ScriptedHandler;
let channel: RecordingChannel;
let bot: Bot;
let n = 0;

function message(text: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  n++;
  return {
    channel: 'slack',
    messageId: `m${n}`,
    conversation: 'C1',
    user: { id: 'U1', displayName: 'Ana' },
    text,
    receivedAt: clock.now(),
    ...overrides,
  };
}

/** Every bot a test made; each is stopped after the test, so none keeps delivering into the next one. */
let bots: Bot[] = [];

function newBot(lockTtlMs = 120_000): Bot {
  const made = createBot({
    config: testConfig({ TURN_LOCK_TTL_MS: String(lockTtlMs) }),
    logger: silentLogger(),
    clock,
    stores,
    handler,
    channels: [channel],
  });
  bots.push(made);
  return made;
}

/** Stops a bot's background work (sweeper, outbox) without waiting for turns that will never end. */
async function halt(old: Bot): Promise<void> {
  void old.pipeline.drain();
  await old.outbox.stop();
}

async function history(conversation = 'C1') {
  const found = await bot.conversations.find('slack', conversation);
  return found ? (await bot.messages.history(found.id)).map((m) => `${m.direction}:${m.text}:${m.status}`) : [];
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

beforeAll(async () => {
  stores = await memoryStores(clock);
});
afterAll(async () => {
  await stores.close();
});
beforeEach(async () => {
  await truncateAll({ db: stores.db, close: async () => {} });
  handler = new ScriptedHandler();
  channel = new RecordingChannel();
  bot = newBot();
  await bot.start();
});
afterEach(async () => {
  await Promise.all(bots.map(halt));
  bots = [];
});

describe('the path of one message', () => {
  it('stores the message, answers it, stores and delivers the reply', async () => {
    const outcome = await bot.pipeline.handleInbound(message('hello'));
    expect(outcome.status).toBe('answered');
    expect(outcome.replies.map((r) => r.text)).toEqual(['echo: hello']);
    expect(channel.sent.map((r) => r.text)).toEqual(['echo: hello']);
    expect(await history()).toEqual(['in:hello:answered', 'out:echo: hello:sent']);
    const person = await bot.people.findByIdentity('slack', 'U1');
    expect(person).toMatchObject({ role: 'unknown', displayName: 'Ana' });
  });

  it('answers the same message id delivered twice once, and returns the first replies again', async () => {
    const first = message('deploy please');
    const a = await bot.pipeline.handleInbound(first);
    const b = await bot.pipeline.handleInbound({ ...first, receivedAt: clock.now() + 1 });
    expect(handler.seen).toEqual(['deploy please']);
    expect(b.status).toBe('duplicate');
    expect(b.replies.map((r) => r.id)).toEqual(a.replies.map((r) => r.id));
    expect(channel.sent).toHaveLength(1);
    expect(await history()).toHaveLength(2);
  });

  it('turns away a retry that arrives while the first delivery is still being handled', async () => {
    const gate = deferred();
    handler.behaviour = async () => {
      await gate.promise;
      return [{ text: 'done' }];
    };
    const first = message('slow one');
    const running = bot.pipeline.handleInbound(first);
    await waitUntil(() => handler.seen.length === 1);
    const retry = await bot.pipeline.handleInbound(first);
    expect(retry).toEqual({ status: 'busy', replies: [] });
    gate.resolve();
    expect((await running).status).toBe('answered');
    expect(handler.seen).toEqual(['slow one']);
  });

  it('handles two messages sent to one conversation at once in order, one at a time', async () => {
    const gate = deferred();
    handler.behaviour = async (turn) => {
      handler.events.push(`start ${turn.message.text}`);
      if (turn.message.text === 'first') await gate.promise;
      handler.events.push(`end ${turn.message.text}`);
      return [{ text: `re ${turn.message.text}` }];
    };
    const one = bot.pipeline.handleInbound(message('first'));
    const two = bot.pipeline.handleInbound(message('second'));
    await waitUntil(() => handler.events.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handler.events).toEqual(['start first']);
    gate.resolve();
    await Promise.all([one, two]);
    expect(handler.events).toEqual(['start first', 'end first', 'start second', 'end second']);
    expect(channel.sent.map((m) => m.text)).toEqual(['re first', 're second']);
    // The second message is stored on arrival, while the first is still being handled; replies follow in order.
    expect(await history()).toEqual(['in:first:answered', 'in:second:answered', 'out:re first:sent', 'out:re second:sent']);
  });

  it('does not make different conversations wait for each other', async () => {
    const gate = deferred();
    handler.behaviour = async (turn) => {
      if (turn.message.text === 'blocked') await gate.promise;
      return [{ text: 'ok' }];
    };
    const blocked = bot.pipeline.handleInbound(message('blocked', { conversation: 'C-A' }));
    const other = await bot.pipeline.handleInbound(message('free', { conversation: 'C-B' }));
    expect(other.status).toBe('answered');
    gate.resolve();
    await blocked;
  });

  it('turns a failing handler into an apology and a report, not a crash', async () => {
    const errors: string[] = [];
    handler.behaviour = async () => {
      throw new Error('tool exploded');
    };
    bot = newBot();
    (bot.pipeline as unknown as { options: { onError: (e: Error) => void } }).options.onError = (e) => errors.push(e.message);
    const outcome = await bot.pipeline.handleInbound(message('boom'));
    expect(outcome.status).toBe('answered');
    expect(outcome.replies[0]!.text).toMatch(/something went wrong/i);
    expect(errors).toEqual(['tool exploded']);
  });

  it('records a failed delivery instead of losing it', async () => {
    channel.failNext = true;
    const outcome = await bot.pipeline.handleInbound(message('hi'));
    expect(outcome.status).toBe('answered');
    expect(await history()).toEqual(['in:hi:answered', 'out:echo: hi:failed']);
    const [, reply] = await bot.messages.history((await bot.conversations.find('slack', 'C1'))!.id);
    expect(reply!.error).toBe('platform said 500');
  });

  it('retries a retryable delivery failure with backoff, honouring retry-after, and records the outcome', async () => {
    channel.transient = [
      new ChannelSendError('429 Too Many Requests', 'slack', true, 30),
      new ChannelSendError('503 Service Unavailable', 'slack', true),
    ];
    const started = Date.now();
    // Short waits (within the outbox's bound) happen in the conversation's delivery lane, which the
    // synchronous caller waits for; the conversation's lock is already free.
    const outcome = await bot.pipeline.handleInbound(message('hi'));
    expect(outcome.status).toBe('answered');
    expect(channel.attempts).toBe(3);
    // Backoff with equal jitter: at least half of 500 ms, then half of 1 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250 + 500);
    expect(await history()).toEqual(['in:hi:answered', 'out:echo: hi:sent']);
  });

  it('gives up after the last attempt and keeps the failure on record', async () => {
    channel.transient = Array.from({ length: 4 }, () => new ChannelSendError('503', 'slack', true));
    bot = newBot();
    (bot.outbox as unknown as { policy: { attempts: number } }).policy.attempts = 2;
    await bot.pipeline.handleInbound(message('hi'));
    expect(channel.attempts).toBe(2);
    expect(await history()).toEqual(['in:hi:answered', 'out:echo: hi:failed']);
  });

  it('after a crash between receiving and replying, keeps no half-written state and answers once on recovery', async () => {
    // The first "process" stores the message and then dies inside the handler: it never answers.
    const crashed = deferred();
    handler.behaviour = () => {
      crashed.resolve();
      return new Promise<never>(() => {});
    };
    const lost = message('create a task');
    void bot.pipeline.handleInbound(lost);
    await crashed.promise;
    expect(await history()).toEqual(['in:create a task:received']);
    expect(channel.sent).toEqual([]);

    // A new process: fresh hot tier (in-process state died with the old one), same database.
    await halt(bot);
    handler = new ScriptedHandler();
    stores = { ...stores, hot: new MemoryHotStore(clock) };
    bot = newBot(1);
    await bot.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await bot.pipeline.recoverUnanswered()).toBe(1);
    expect(handler.seen).toEqual(['create a task']);
    expect(await history()).toEqual(['in:create a task:answered', 'out:echo: create a task:sent']);

    // The platform's retry of the same message, arriving late, acts no second time.
    const retry = await bot.pipeline.handleInbound(lost);
    expect(retry.status).toBe('duplicate');
    expect(handler.seen).toEqual(['create a task']);
    expect(await bot.pipeline.recoverUnanswered()).toBe(0);
  });

  it('delivers after a restart the replies an earlier run stored but never sent', async () => {
    // A run that stored its answer and died before handing it to the channel.
    const conversation = await bot.conversations.ensure('slack', 'C1');
    const person = await bot.people.resolve('slack', 'U1', 'Ana', 'unknown');
    const { message: inbound } = await bot.messages.recordInbound({ conversationId: conversation.id, platformMessageId: 'mX', personId: person.id, text: 'hi', payload: {} });
    await bot.messages.answer(inbound, [{ text: 'stored but not sent', kind: 'reply' }]);
    expect(await history()).toEqual(['in:hi:answered', 'out:stored but not sent:pending']);

    bot = newBot(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await bot.pipeline.recoverUndelivered()).toBe(1);
    expect(channel.sent.map((m) => m.text)).toEqual(['stored but not sent']);
    expect(await history()).toEqual(['in:hi:answered', 'out:stored but not sent:sent']);
    expect(await bot.pipeline.recoverUndelivered()).toBe(0);
  });

  it('stores a webhook message before acknowledging and handles it after', async () => {
    const gate = deferred();
    handler.behaviour = async () => {
      await gate.promise;
      return [{ text: 'later' }];
    };
    await bot.pipeline.enqueueInbound(message('from a webhook'));
    expect(await history()).toEqual(['in:from a webhook:received']);
    gate.resolve();
    await waitUntil(() => channel.sent.length === 1);
    expect(await history()).toEqual(['in:from a webhook:answered', 'out:later:sent']);
  });

  it('finishes turns in flight when stopping, and refuses new ones', async () => {
    const gate = deferred();
    handler.behaviour = async () => {
      await gate.promise;
      return [{ text: 'finished' }];
    };
    const inFlight = bot.pipeline.handleInbound(message('long job'));
    await waitUntil(() => handler.seen.length === 1);
    const stopped = bot.stop();
    await expect(bot.pipeline.handleInbound(message('too late'))).rejects.toBeInstanceOf(ServiceStoppingError);
    gate.resolve();
    await stopped;
    expect((await inFlight).replies.map((r) => r.text)).toEqual(['finished']);
    expect(await history()).toEqual(['in:long job:answered', 'out:finished:sent']);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

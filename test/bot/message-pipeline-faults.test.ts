import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import type { Turn, TurnHandler } from '../../bot/turn.js';
import type { InboundMessage, ReplyDraft } from '../../channels/index.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Stores } from '../../store/open-stores.js';
import { truncateAll } from '../store/durable/durable-store.contract.js';
import { memoryStores } from '../support/memory-stores.js';
import { RecordingChannel } from '../support/recording-channel.js';
import { testConfig } from '../support/test-config.js';

/**
 * Acknowledged means answered (issue 9, findings 4, 5, 10): a dead process's lock or claim delays a
 * message but never loses it, without a restart; a slow turn keeps its lock. Time is a ManualClock, so
 * the lock TTL (120 s) and wait (60 s) pass in milliseconds.
 */

class GatedHandler implements TurnHandler {
  events: string[] = [];
  gates = new Map<string, Promise<void>>();
  async handle(turn: Turn): Promise<ReplyDraft[]> {
    this.events.push(`start ${turn.message.text}`);
    await this.gates.get(turn.message.text);
    this.events.push(`end ${turn.message.text}`);
    return [{ text: `re ${turn.message.text}` }];
  }
}

let clock: ManualClock;
let stores: Stores;
let handler: GatedHandler;
let slack: RecordingChannel;
let bot: Bot;
let n = 0;

beforeAll(async () => {
  clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  stores = await memoryStores(clock);
});
afterAll(async () => {
  await stores.close();
});
beforeEach(async () => {
  await truncateAll({ db: stores.db, close: async () => {} });
  (stores as { hot: Stores['hot'] }).hot = new MemoryHotStore(clock);
  handler = new GatedHandler();
  slack = new RecordingChannel('slack');
  bot = createBot({ config: testConfig(), logger: silentLogger(), clock, stores, handler, channels: [slack] });
  await bot.start();
});
afterEach(async () => {
  void bot.pipeline.drain();
  await bot.outbox.stop();
});

function message(text: string): InboundMessage {
  n++;
  return { channel: 'slack', messageId: `f${n}`, conversation: 'C1', user: { id: 'U1', displayName: 'Ana' }, text, receivedAt: clock.now() };
}

async function statusOf(messageId: string): Promise<string | undefined> {
  return (await bot.messages.findInbound('slack', messageId))?.status;
}

/** Moves the manual clock in steps, letting the database work that timers start finish in between. */
async function advance(ms: number, step = 1_000): Promise<void> {
  for (let moved = 0; moved < ms; moved += step) {
    await clock.advance(Math.min(step, ms - moved));
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

describe('acknowledged means answered', () => {
  it('answers a message stuck behind the lock of a dead process once the lock expires, without a restart', async () => {
    const conversation = await bot.conversations.ensure('slack', 'C1');
    // A process took the conversation's lock and died: nobody will release it; it expires at its TTL (120 s).
    await stores.hot.lock(`conversation:${conversation.id}`, { ttlMs: 120_000, waitMs: 0 });
    const stuck = message('are you there?');
    await bot.pipeline.enqueueInbound(stuck); // the webhook is acknowledged here
    expect(await statusOf(stuck.messageId)).toBe('received');

    await advance(61_000); // the turn gives up waiting for the lock (60 s): the message stays stored, unclaimed
    expect(handler.events).toEqual([]);
    expect(await statusOf(stuck.messageId)).toBe('received');

    await advance(70_000); // the dead lock expires; the sweeper takes the message
    await waitFor(async () => slack.sent.length === 1);
    expect(handler.events).toEqual(['start are you there?', 'end are you there?']);
    expect(await statusOf(stuck.messageId)).toBe('answered');
    expect(slack.texts()).toEqual(['re are you there?']);
  });

  it('stores and answers a redelivery that arrives while a dead process still holds its claim', async () => {
    const conversation = await bot.conversations.ensure('slack', 'C1');
    const lost = message('deploy status?');
    // The first delivery was claimed by a process that died before storing it.
    expect(await stores.hot.claim(`inbound:${conversation.id}:${lost.messageId}`, 120_000, 'dead-instance')).toBe(true);

    const outcome = await bot.pipeline.handleInbound(lost); // the platform's redelivery
    expect(outcome).toEqual({ status: 'busy', replies: [] });
    expect(await statusOf(lost.messageId)).toBe('received'); // stored, not dropped

    await advance(125_000); // the dead claim expires; the sweeper answers
    await waitFor(async () => slack.sent.length === 1);
    expect(slack.texts()).toEqual(['re deploy status?']);
    expect(await statusOf(lost.messageId)).toBe('answered');
    // A further redelivery gets the stored reply and acts no second time.
    expect((await bot.pipeline.handleInbound(lost)).status).toBe('duplicate');
    expect(handler.events.filter((e) => e.startsWith('start'))).toHaveLength(1);
  });

  it('extends the turn lock while a slow turn runs, so the next message of the conversation waits for it', async () => {
    let release!: () => void;
    handler.gates.set('slow voice note', new Promise<void>((resolve) => (release = resolve)));
    const first = message('slow voice note');
    const second = message('and another thing');
    await bot.pipeline.enqueueInbound(first);
    await waitFor(async () => handler.events.length === 1);
    await bot.pipeline.enqueueInbound(second);

    await advance(300_000, 5_000); // 2.5 lock TTLs: without extension the second turn would start now
    expect(handler.events).toEqual(['start slow voice note']);

    release();
    await waitFor(async () => slack.sent.length === 2);
    expect(handler.events).toEqual(['start slow voice note', 'end slow voice note', 'start and another thing', 'end and another thing']);
    expect(slack.texts()).toEqual(['re slow voice note', 're and another thing']);
  });

  it('does not hold the conversation lock while a reply waits on the platform, and keeps the replies in order', async () => {
    let answer!: () => void;
    const platform = new Promise<void>((resolve) => (answer = resolve));
    const send = slack.send.bind(slack);
    slack.send = async (m) => {
      if (m.text === 're first') await platform; // the platform is slow to answer this one
      return send(m);
    };
    const first = bot.pipeline.handleInbound(message('first'));
    await until(() => handler.events.includes('end first'));
    await bot.pipeline.enqueueInbound(message('second'));
    // The next turn of the conversation runs while the first reply is still with the platform.
    await until(() => handler.events.includes('end second'));
    expect(slack.texts()).toEqual([]);
    answer();
    await first;
    await until(() => slack.sent.length === 2);
    expect(slack.texts()).toEqual(['re first', 're second']);
  });
});

/** Waits in real time only (the manual clock stays put, so no timer of the bot fires meanwhile). */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

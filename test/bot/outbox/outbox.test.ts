import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../../bot/create-bot.js';
import type { Turn, TurnHandler } from '../../../bot/turn.js';
import type { ChannelDeps, InboundMessage, ReplyDraft } from '../../../channels/index.js';
import { createTelegramChannel } from '../../../channels/telegram/index.js';
import { ManualClock, SystemClock, type Clock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { MemoryHotStore } from '../../../store/hot/memory-hot-store.js';
import type { Stores } from '../../../store/open-stores.js';
import { truncateAll } from '../../store/durable/durable-store.contract.js';
import { TelegramFake } from '../../support/fakes/telegram/index.js';
import { memoryStores } from '../../support/memory-stores.js';
import { testConfig } from '../../support/test-config.js';

/**
 * The delivery outbox against the real Telegram adapter (grammY) and the Telegram fake: 429 with a
 * long retry_after, 500s, a platform that posts and then hangs past the client's timeout, and a restart.
 */

class EchoHandler implements TurnHandler {
  async handle(turn: Turn): Promise<ReplyDraft[]> {
    return [{ text: `re ${turn.message.text}` }];
  }
}

const ANA = 501;
const BEA = 502;
let fake: TelegramFake;
let stores: Stores;
let bots: Bot[] = [];
let n = 0;

beforeAll(async () => {
  fake = await new TelegramFake().start();
  stores = await memoryStores(new SystemClock());
});
afterAll(async () => {
  await fake.stop();
  await stores.close();
});
beforeEach(async () => {
  await truncateAll({ db: stores.db, close: async () => {} });
  fake.sent.length = 0;
});
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function startBot(clock: Clock, options: { sendTimeoutMs?: number } = {}): Promise<Bot> {
  (stores as { hot: Stores['hot'] }).hot = new MemoryHotStore(clock);
  const bot = createBot({
    config: testConfig(),
    logger: silentLogger(),
    clock,
    stores,
    handler: new EchoHandler(),
    channels: (deps: ChannelDeps) => [
      createTelegramChannel({ botToken: fake.token, apiRoot: fake.url, mode: 'webhook', webhookSecret: 'outbox-test-secret' }, { ...deps, clock }, { sendTimeoutMs: options.sendTimeoutMs ?? 5_000 }),
    ],
  });
  await bot.start();
  bots.push(bot);
  return bot;
}

function message(chat: number, text: string, receivedAt: number): InboundMessage {
  n++;
  return { channel: 'telegram', messageId: `${chat}:${n}`, conversation: String(chat), user: { id: String(chat), displayName: `user ${chat}` }, text, receivedAt };
}

async function outbound(bot: Bot, chat: number) {
  const conversation = await bot.conversations.find('telegram', String(chat));
  if (!conversation) return [];
  return (await bot.messages.history(conversation.id)).filter((m) => m.direction === 'out');
}

describe('the delivery outbox', () => {
  it('re-queues a 429 with a long retry_after instead of waiting on it, and other chats keep their latency', async () => {
    const clock = new ManualClock(Date.now());
    const bot = await startBot(clock);
    fake.rateLimit('sendMessage', 100);

    const started = Date.now();
    const first = await bot.pipeline.handleInbound(message(ANA, 'hello', clock.now()));
    expect(first.status).toBe('answered');
    expect(Date.now() - started).toBeLessThan(3_000); // nobody waited 100 s
    const [queued] = await outbound(bot, ANA);
    expect(queued).toMatchObject({ status: 'pending', attempts: 1, error: expect.stringMatching(/rate limit/i) });
    expect(queued!.nextAttemptAt! - clock.now()).toBeGreaterThanOrEqual(100_000);

    // Another chat is not held up: its reply leaves at once.
    const other = Date.now();
    await bot.pipeline.handleInbound(message(BEA, 'hi there', clock.now()));
    expect(fake.sentTo(BEA).map((m) => m.text)).toEqual(['re hi there']);
    expect(Date.now() - other).toBeLessThan(2_000);

    // The rate-limited chat's next reply waits behind the first, in order.
    await bot.pipeline.handleInbound(message(ANA, 'still there?', clock.now()));
    expect(fake.sentTo(ANA)).toEqual([]);
    expect((await outbound(bot, ANA)).map((m) => m.status)).toEqual(['pending', 'pending']);

    await clock.advance(99_000);
    expect(fake.sentTo(ANA)).toEqual([]);
    await clock.advance(1_500);
    await fake.waitForSent(ANA, 2);
    expect(fake.sentTo(ANA).map((m) => m.text)).toEqual(['re hello', 're still there?']);
    await waitFor(async () => (await outbound(bot, ANA)).every((m) => m.status === 'sent'));
  });

  it('retries 500s with backoff and delivers once', async () => {
    const bot = await startBot(new SystemClock());
    fake.serverError('sendMessage', 2);
    await bot.pipeline.handleInbound(message(ANA, 'hello', Date.now()));
    expect(fake.sentTo(ANA).map((m) => m.text)).toEqual(['re hello']);
    expect(fake.callsTo('sendMessage').filter((c) => c.status === 500)).toHaveLength(2);
    expect(await outbound(bot, ANA)).toMatchObject([{ status: 'sent', attempts: 3 }]);
  });

  it('records a send that hung past the client timeout as unknown, does not send it again, and tells the admins', async () => {
    const bot = await startBot(new SystemClock(), { sendTimeoutMs: 300 });
    await bot.people.grant('webchat', 'boss', 'admin');
    await bot.conversations.ensure('webchat', 'boss');
    const boss = (await bot.people.findByIdentity('webchat', 'boss'))!;
    await bot.pipeline.handleInbound({ channel: 'webchat', messageId: 'w1', conversation: 'boss', user: { id: 'boss' }, text: 'hi', receivedAt: Date.now() });

    fake.hang('sendMessage', 1_500);
    await bot.pipeline.handleInbound(message(ANA, 'book the room', Date.now()));
    expect(await outbound(bot, ANA)).toMatchObject([{ status: 'unknown', attempts: 1, error: expect.stringMatching(/may have been delivered/) }]);

    // Telegram did post it: once. Neither the outbox's poll nor a recovery sends it again.
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    await bot.outbox.poll();
    await bot.pipeline.recoverUndelivered();
    expect(fake.sentTo(ANA).map((m) => m.text)).toEqual(['re book the room']);

    const bossChat = (await bot.conversations.latestFor(boss.id))!;
    const reports = (await bot.messages.history(bossChat.id)).filter((m) => m.kind === 'notification').map((m) => m.text);
    expect(reports).toEqual([expect.stringMatching(/^⚠️ A telegram message may or may not have arrived[\s\S]*It said: "re book the room"/)]);
  });

  it('after a restart sends what was never sent, and never what the platform accepted or may have', async () => {
    const first = await startBot(new SystemClock());
    await first.pipeline.handleInbound(message(ANA, 'one', Date.now())); // sent
    const conversation = (await first.conversations.find('telegram', String(ANA)))!;
    // A run that died: one reply mid-send (handed to the platform, then its lease ran out), one
    // claimed but killed before the platform call, one stored but not yet handed over.
    const midSend = await first.messages.recordNotification(conversation.id, { text: 'was being sent', kind: 'notification' });
    expect(await first.messages.claimNextOutbound(conversation.id, 'dead-instance', Date.now() - 1)).toMatchObject({ id: midSend.id, status: 'sending' });
    expect(await first.messages.markOnWire(midSend.id, 'dead-instance')).toBe(true);
    // In another chat: claimed, then the process died before it called the platform.
    await first.pipeline.handleInbound(message(BEA, 'hello', Date.now()));
    const beaChat = (await first.conversations.find('telegram', String(BEA)))!;
    const claimedOnly = await first.messages.recordNotification(beaChat.id, { text: 'claimed, never called', kind: 'notification' });
    expect(await first.messages.claimNextOutbound(beaChat.id, 'dead-instance', Date.now() - 1)).toMatchObject({ id: claimedOnly.id });
    const notYet = await first.messages.recordNotification(conversation.id, { text: 'never handed over', kind: 'notification' });
    await first.stop();
    bots = [];

    const second = await startBot(new SystemClock());
    await second.outbox.poll(); // the dead claims' leases have run out
    await second.pipeline.recoverUndelivered();
    expect(fake.sentTo(ANA).map((m) => m.text)).toEqual(['re one', 'never handed over']);
    // Never on the wire, so provably not sent: sent now, once, and nobody is told of an unknown outcome.
    await waitFor(async () => (await outbound(second, BEA)).every((m) => m.status === 'sent'));
    expect(fake.sentTo(BEA).map((m) => m.text)).toEqual(['re hello', 'claimed, never called']);
    const rows = await outbound(second, ANA);
    expect(rows.map((m) => [m.text, m.status])).toEqual([
      ['re one', 'sent'],
      ['was being sent', 'unknown'],
      ['never handed over', 'sent'],
    ]);
    expect(notYet.status).toBe('pending');
    await second.pipeline.recoverUndelivered();
    expect(fake.sentTo(ANA)).toHaveLength(2);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

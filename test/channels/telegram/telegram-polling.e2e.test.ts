import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake } from '../../support/fakes/telegram/index.js';
import { ANA, OPS, startTelegramService, STRANGER, type TelegramService } from './telegram-service.js';

/** The whole service with TELEGRAM_MODE=polling: no webhook, updates fetched with getUpdates. */

let t: TelegramService;
beforeAll(async () => {
  t = await startTelegramService({ mode: 'polling' });
  await t.grant(ANA, 'developer');
});
afterAll(async () => {
  await t?.stop();
});

describe('Telegram by long polling', () => {
  it('deletes any webhook, receives queued updates, answers them, and confirms them', async () => {
    const methods = t.fake.calls.map((c) => c.method);
    expect(methods.indexOf('deleteWebhook')).toBeGreaterThanOrEqual(0);
    expect(t.service.http.hasRoute({ method: 'POST', url: '/webhooks/telegram' })).toBe(false);

    t.fake.queueUpdate(
      t.fake.message({ chat: TelegramFake.privateChat(ANA), from: ANA, text: 'hello' }),
      t.fake.message({ chat: OPS, from: ANA, text: 'not for the bot' }),
      t.fake.message({ chat: TelegramFake.privateChat(STRANGER), from: STRANGER, text: '/start' }),
    );
    const [hello] = await t.fake.waitForSent(ANA.id);
    expect(hello!.text).toMatch(/^Hello/);
    const [pairing] = await t.fake.waitForSent(STRANGER.id);
    expect(pairing!.text).toMatch(/pairing code [A-Z2-9]{8}/);
    await t.fake.waitFor(() => t.fake.pendingUpdates === 0, 5000, 'the updates to be confirmed');
    expect(t.fake.sentTo(OPS.id)).toEqual([]);
    expect(methods.indexOf('deleteWebhook')).toBeLessThan(t.fake.calls.findIndex((c) => c.method === 'getUpdates'));
  });
});

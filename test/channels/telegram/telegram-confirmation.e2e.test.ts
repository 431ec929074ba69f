import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake, type SentMessage } from '../../support/fakes/telegram/index.js';
import { ANA, BOB, OPS, startTelegramService, type TelegramService } from './telegram-service.js';

/**
 * The confirmation gate through Telegram, in a group: Ana asks to delete a task Bob created (risky:
 * it is not hers). Only the phrase typed by Ana, in that chat, as a new message, does it. The Cancel
 * button, a click carrying the phrase, Bob typing it, and an edit that turns a message into the
 * phrase all fail to.
 */

let t: TelegramService;
beforeAll(async () => {
  t = await startTelegramService();
  await t.grant(ANA, 'developer');
  await t.grant(BOB, 'developer');
});
afterAll(async () => {
  await t?.stop();
});

const bot = () => `@${t.fake.username}`;

/** Posts an update and returns the bot's next message in that chat. */
async function exchange(update: Parameters<TelegramService['post']>[0], chatId: number): Promise<SentMessage> {
  const before = t.fake.sentTo(chatId).length;
  expect((await t.post(update)).status).toBe(200);
  return (await t.fake.waitForSent(chatId, before + 1)).at(-1)!;
}

describe('a risky action requested in a Telegram group', () => {
  it('is refused by the Cancel button, a click, another developer and an edit; done by the typed phrase', async () => {
    const created = await exchange(t.fake.message({ chat: TelegramFake.privateChat(BOB), from: BOB, text: 'remind me to send Acme the proposal' }), BOB.id);
    const n = Number(/Task #(\d+)/.exec(created.text)![1]);
    const phrase = `CONFIRM DELETE TASK ${n}`;

    // Ana asks; the bot restates the action, gives the phrase, and shows a Cancel button.
    let prompt = await exchange(t.fake.message({ chat: OPS, from: ANA, text: `${bot()} delete task ${n}` }), OPS.id);
    expect(prompt.text).toContain(`Delete task #${n} "send Acme the proposal", created by Bob.`);
    expect(prompt.text).toContain(phrase);
    expect(prompt.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel' }]] });

    // The Cancel button cancels (a button may cancel), and the click is answered.
    const cancel = t.fake.callbackQuery({ from: ANA, message: prompt, data: 'cancel' });
    expect((await exchange(cancel, OPS.id)).text).toBe('Cancelled: task deletion. Nothing was changed.');
    await t.fake.waitFor(() => t.fake.answeredCallbacks.includes((cancel.callback_query as { id: string }).id), 5000, 'answerCallbackQuery');
    expect((await t.service.bot.tasks.findByNumber(n))?.status).toBe('open');

    prompt = await exchange(t.fake.message({ chat: OPS, from: ANA, text: `${bot()} delete task ${n}` }), OPS.id);
    expect(prompt.text).toContain(phrase);

    // A click carrying the phrase (a client can send any callback data) never confirms.
    const forged = t.fake.callbackQuery({ from: ANA, message: prompt, data: phrase });
    expect((await exchange(forged, OPS.id)).text).toMatch(/^A button can't confirm/);

    // Bob is a developer but neither the requester nor an approver.
    const bobs = await exchange(t.fake.message({ chat: OPS, from: BOB, text: phrase, replyTo: prompt.message }), OPS.id);
    expect(bobs.text).toBe('Only the person who asked or an owner or an admin can confirm this.');

    // Ana edits an earlier message into the phrase: an edit never confirms.
    const earlier = t.fake.message({ chat: OPS, from: ANA, text: `${bot()} one moment`, replyTo: prompt.message });
    expect((await exchange(earlier, OPS.id)).text).toMatch(/^I'm waiting for the confirmation/);
    const edited = await exchange(t.fake.editedMessage(earlier, `${bot()} ${phrase}`), OPS.id);
    expect(edited.text).toMatch(/^An edited message can't confirm/);
    expect((await t.service.bot.tasks.findByNumber(n))?.status).toBe('open');

    // Ana types the phrase, as a reply to the prompt: done, once.
    const done = await exchange(t.fake.message({ chat: OPS, from: ANA, text: phrase, replyTo: prompt.message }), OPS.id);
    expect(done.text).toBe(`Deleted task #${n} "send Acme the proposal".`);
    expect((await t.service.bot.tasks.findByNumber(n))?.status).toBe('deleted');

    const audit = (await t.service.bot.audit.tail(200)).map((r) => r.action);
    expect(audit.filter((a) => a === 'confirmation.refused')).toHaveLength(3);
    expect(audit.filter((a) => a === 'confirmation.confirmed')).toHaveLength(1);
    expect(audit).toContain('confirmation.cancelled');
  });
});

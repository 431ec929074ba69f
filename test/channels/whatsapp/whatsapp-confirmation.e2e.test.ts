import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbound } from '../../support/fakes/whatsapp/index.js';
import { turn, type WhatsAppService, startWhatsAppService } from './whatsapp-service.js';

/**
 * The confirmation gate on WhatsApp (staff who use it too): a risky action runs only on the phrase
 * typed in that chat by someone allowed; a button tap or another person's message never confirms.
 */

const ANA = { waId: '16505550001', name: 'Ana' };
const BOB = { waId: '16505550002', name: 'Bob' };
let h: WhatsAppService;
beforeAll(async () => {
  h = await startWhatsAppService();
  for (const staff of [ANA, BOB]) {
    const person = await h.service.bot.people.grant('whatsapp', staff.waId, 'developer');
    await h.service.bot.people.setDisplayName(person.id, staff.name);
  }
});
afterAll(async () => {
  await h?.close();
});

const texts = (t: { sent: { text: string }[] }) => t.sent.map((m) => m.text).join('\n');

describe('confirming a risky action on WhatsApp', () => {
  it("deletes someone else's task only on the typed phrase; a button or another person cannot confirm; a button can cancel", async () => {
    const created = await turn(h, inbound.text(BOB, 'remind me to send Acme the proposal'));
    const n = Number(/Task #(\d+)/.exec(texts(created))![1]);
    const phrase = `CONFIRM DELETE TASK ${n}`;

    // Ana asks: the bot restates the action and the phrase, with a Cancel button.
    const prompt = await turn(h, inbound.text(ANA, `delete task ${n}`));
    expect(prompt.sent).toHaveLength(1);
    expect(prompt.sent[0]).toMatchObject({ type: 'interactive', buttons: [{ id: 'cancel', title: 'Cancel' }] });
    expect(prompt.sent[0]!.text).toContain(`Delete task #${n} "send Acme the proposal", created by Bob`);
    expect(prompt.sent[0]!.text).toContain(phrase);

    // A button whose id is the phrase (a crafted interactive reply) does not confirm.
    const button = await turn(h, inbound.buttonReply(ANA, { id: phrase, title: 'Confirm' }, { context: prompt.sent[0]!.wamid }));
    expect(texts(button)).toBe(`A button can't confirm anything. To go ahead, type the phrase yourself: ${phrase}`);
    expect((await h.service.bot.tasks.findByNumber(n))?.status).toBe('open');

    // Bob types the phrase in his own chat: not the conversation where it was asked, so nothing happens.
    const other = await turn(h, inbound.text(BOB, phrase));
    expect(texts(other)).not.toMatch(/Deleted/);
    expect((await h.service.bot.tasks.findByNumber(n))?.status).toBe('open');

    // A forwarded copy of the phrase does not confirm either.
    const forwarded = await turn(h, inbound.text(ANA, phrase, { forwarded: true }));
    expect(texts(forwarded)).toMatch(/^A forwarded message can't confirm/);

    // Ana types it in her chat: done.
    const confirmed = await turn(h, inbound.text(ANA, `  confirm  delete task ${n} `));
    expect(texts(confirmed)).toBe(`Deleted task #${n} "send Acme the proposal".`);
    expect((await h.service.bot.tasks.findByNumber(n))?.status).toBe('deleted');
    const anaId = (await h.service.bot.people.findByIdentity('whatsapp', ANA.waId))!.id;
    const confirmation = (await h.service.bot.audit.tail(100)).find((r) => r.action === 'confirmation.confirmed');
    expect(confirmation?.actor).toBe(anaId);

    // The Cancel button cancels a pending request.
    const second = Number(/Task #(\d+)/.exec(texts(await turn(h, inbound.text(BOB, 'remind me to renew the certificate'))))![1]);
    const again = await turn(h, inbound.text(ANA, `delete task ${second}`));
    const cancelled = await turn(h, inbound.buttonReply(ANA, { id: 'cancel', title: 'Cancel' }, { context: again.sent[0]!.wamid }));
    expect(texts(cancelled)).toBe('Cancelled: task deletion. Nothing was changed.');
    expect((await turn(h, inbound.text(ANA, `CONFIRM DELETE TASK ${second}`))).sent.map((m) => m.text).join()).not.toMatch(/Deleted/);
    expect((await h.service.bot.tasks.findByNumber(second))?.status).toBe('open');
  });
});

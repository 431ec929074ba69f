import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWording as say } from '../../../bot/client/index.js';
import { ANA, BOOKING_URL, meetAna, startClientService, texts, type ClientService } from './client-service.js';

/**
 * Client conversations end to end: clients write on WhatsApp (signed webhooks into the real service,
 * replies captured by the Graph fake), the team (Ana, an admin) works on Telegram (its fake). Leads land
 * in the CRM with the conversation attached and the team told; asking for a person hands the
 * conversation to Ana, the bot goes quiet, her replies reach the client from the bot's number, and
 * /handback gives it back.
 */

const LISA = { waId: '447700900123', name: 'Lisa Wong' };
const TOM = { waId: '447700900456', name: 'Tom Baker' };
const KIM = { waId: '447700900789', name: 'Kim' };
const LEE = { waId: '447700900654', name: 'Lee' };

let h: ClientService;
beforeAll(async () => {
  h = await startClientService();
  await meetAna(h);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const anaHeard = () => texts(h.telegram.sentTo(ANA.id));

describe('a client leaves their details on WhatsApp', () => {
  it('becomes a lead in the CRM, with their number and the conversation, and the team is told', async () => {
    const replies = await h.client(LISA, "Hi, I'm Lisa Wong from Pixelforge, we need a new website");
    expect(texts(replies)).toEqual([say.leadCaptured('Lisa Wong')]);

    const { rows } = await h.service.stores.db.query<{ id: string; name: string; phone: string; company: string; need: string; created_by: string }>(
      `SELECT c.id, c.name, c.phone, co.name AS company, c.need, c.created_by FROM crm_contacts c LEFT JOIN crm_companies co ON co.id = c.company_id`,
    );
    expect(rows).toEqual([expect.objectContaining({ name: 'Lisa Wong', phone: '+447700900123', company: 'Pixelforge', need: 'we need a new website', created_by: 'client' })]);
    const conversation = await h.service.bot.conversations.find('whatsapp', LISA.waId);
    const linked = await h.service.stores.db.query(`SELECT 1 FROM crm_contact_conversations WHERE contact_id = $1 AND conversation_id = $2`, [rows[0]!.id, conversation!.id]);
    expect(linked.rowCount).toBe(1);

    const notice = anaHeard().find((t) => t.startsWith('🆕'));
    expect(notice).toBe('🆕 New lead from whatsapp: Lisa Wong (Pixelforge, +447700900123).\nNeeds: we need a new website');
  });

  it('the same number writing again finds the same contact and completes it', async () => {
    const replies = await h.client(LISA, "Hi again, I'm Lisa Wong from Pixelforge, my e-mail is lisa@pixelforge.io");
    expect(texts(replies)).toEqual([say.leadCaptured('Lisa Wong')]);
    expect(await h.count('crm_contacts')).toBe(1);
    const { rows } = await h.service.stores.db.query<{ email: string }>('SELECT email FROM crm_contacts');
    expect(rows[0]!.email).toBe('lisa@pixelforge.io');
    expect(anaHeard().filter((t) => t.startsWith('🆕 Returning contact from whatsapp: Lisa Wong'))).toHaveLength(1);
  });

  it('asking for a call gives the booking link; a price question is answered from the documents', async () => {
    expect(texts(await h.client(LISA, 'Can we book a call for next week?'))).toEqual([say.bookingLink(BOOKING_URL)]);
    const price = texts(await h.client(LISA, 'How much does a website cost?'));
    expect(price).toHaveLength(1);
    expect(price[0]).toMatch(/Source: prices\.md/);
  });
});

describe('hand-off to a person', () => {
  let notice: Awaited<ReturnType<ClientService['team']>>[number];

  it('asking for a person tells the team once, with a summary and the conversation, and the bot says so', async () => {
    await h.client(TOM, 'Hello');
    const before = h.telegram.sentTo(ANA.id).length;
    expect(texts(await h.client(TOM, 'Can I talk to a person please?'))).toEqual([say.HANDED_OFF]);
    const conversation = await h.service.bot.conversations.find('whatsapp', TOM.waId);
    const told = h.telegram.sentTo(ANA.id).slice(before);
    expect(told).toHaveLength(1);
    notice = told[0]!;
    expect(notice.text).toContain('Tom Baker (whatsapp) asked to talk to a person.');
    expect(notice.text).toContain('> Can I talk to a person please?');
    expect(notice.text).toContain(`Conversation ${conversation!.id}`);
  });

  it('stays quiet while the team has it: messages are stored and shown to the team, nothing is said, nobody is told twice', async () => {
    const before = h.telegram.sentTo(ANA.id).length;
    expect(await h.client(TOM, 'Hello? Is anyone there?')).toEqual([]);
    expect(await h.client(TOM, 'I want to talk to a human')).toEqual([]);
    const conversation = await h.service.bot.conversations.find('whatsapp', TOM.waId);
    const stored = (await h.service.bot.messages.history(conversation!.id)).filter((m) => m.direction === 'in').map((m) => [m.text, m.status]);
    expect(stored.slice(-2)).toEqual([
      ['Hello? Is anyone there?', 'answered'],
      ['I want to talk to a human', 'answered'],
    ]);
    expect(texts(h.telegram.sentTo(ANA.id).slice(before))).toEqual(['💬 Tom Baker: Hello? Is anyone there?', '💬 Tom Baker: I want to talk to a human']);
    expect((await h.service.stores.db.query(`SELECT 1 FROM handoffs`)).rowCount).toBe(1);
  });

  it("relays the team's reply to the notice to the client's WhatsApp, from the bot's number", async () => {
    const before = h.whatsapp.sentTo(TOM.waId).length;
    expect(texts(await h.team("Hi Tom, it's Ana from the agency. How can I help?", notice))).toEqual([say.RELAYED]);
    const relayed = h.whatsapp.sentTo(TOM.waId).slice(before);
    expect(relayed.map((m) => [m.type, m.text])).toEqual([['text', "Hi Tom, it's Ana from the agency. How can I help?"]]);
  });

  it('/handback gives the conversation back to the bot, which tells the client and answers again', async () => {
    const before = h.whatsapp.sentTo(TOM.waId).length;
    expect(texts(await h.team('/handback'))).toEqual([say.handedBackTo('Tom Baker on whatsapp')]);
    expect(texts(h.whatsapp.sentTo(TOM.waId).slice(before))).toEqual([say.HANDED_BACK]);
    expect(texts(await h.client(TOM, 'hello'))).toEqual([say.greeting('Tom Baker')]);
    expect(texts(await h.client(TOM, 'thank you!'))).toEqual(["You're welcome, Tom Baker! If there is anything else, just write here."]);
    // A reply to the old notice is not sent: the conversation is the bot's again.
    expect(texts(await h.team('one more thing', notice))).toEqual([say.RELAY_CLOSED]);
  });

  it('failing to help twice in a row hands the conversation over too', async () => {
    const before = h.telegram.sentTo(ANA.id).length;
    expect(texts(await h.client(KIM, 'blorp frobnicate the quux'))).toEqual([say.NOT_UNDERSTOOD]);
    expect(texts(await h.client(KIM, 'zzzz wibble wobble'))).toEqual([say.HANDED_OFF_AFTER_MISSES]);
    const told = texts(h.telegram.sentTo(ANA.id).slice(before));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Kim (whatsapp) could not be helped by the bot twice in a row.');
    expect(await h.client(KIM, 'hello?')).toEqual([]);
    expect(texts(await h.team('/handback'))).toEqual([say.handedBackTo('Kim on whatsapp')]);
  });

  it("keeps WhatsApp's 24-hour window: a reply to a client who last wrote a day ago is not sent, and the team member is told", async () => {
    const before = h.telegram.sentTo(ANA.id).length;
    await h.client(LEE, 'talk to a person');
    const leeNotice = h.telegram.sentTo(ANA.id).slice(before).find((m) => m.text.includes('Lee (whatsapp) asked to talk to a person.'))!;
    const sentToLee = h.whatsapp.sentTo(LEE.waId).length;
    h.clock.shift(25 * 3_600_000);
    expect(texts(await h.team('Hi Lee, sorry for the wait!', leeNotice))).toEqual([say.WINDOW_CLOSED]);
    expect(h.whatsapp.sentTo(LEE.waId)).toHaveLength(sentToLee);
    // Lee writes again: the window is open, the conversation still the team's.
    expect(await h.client(LEE, 'hello?')).toEqual([]);
    expect(texts(await h.team('Hi Lee, sorry for the wait!', leeNotice))).toEqual([say.RELAYED]);
    expect(texts(h.whatsapp.sentTo(LEE.waId)).at(-1)).toBe('Hi Lee, sorry for the wait!');
  });
});

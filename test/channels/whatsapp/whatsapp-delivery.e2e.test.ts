import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_WHATSAPP, inbound } from '../../support/fakes/whatsapp/index.js';
import { notify, turn, type WhatsAppService, startWhatsAppService } from './whatsapp-service.js';

/** Delivery with a template configured: retries, and the 24-hour window handled by the template. */

const HOUR = 3_600_000;
const TEMPLATE = 'switchboard_update';
let h: WhatsAppService;
beforeAll(async () => {
  h = await startWhatsAppService({ env: { WHATSAPP_TEMPLATE_NAME: TEMPLATE, WHATSAPP_TEMPLATE_LANGUAGE: 'en_US' } });
  h.fake.approveTemplate(TEMPLATE, 'en_US');
});
afterAll(async () => {
  await h?.close();
});

const messagePosts = () => h.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));

describe('WhatsApp delivery, end to end', () => {
  it('retries a 429 (honouring Retry-After) and a 500, then sends', async () => {
    const client = { waId: '16505550101', name: 'Priya' };
    const before = messagePosts().length;
    h.fake.rateLimited(1, { retryAfterSeconds: 1 }).serverError(1);
    const started = Date.now();
    const hello = await turn(h, inbound.text(client, 'hello'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(messagePosts().slice(before).map((r) => r.status)).toEqual([429, 500, 200]);
    expect(hello.replies).toEqual([expect.objectContaining({ status: 'sent', error: null, platformMessageId: hello.sent[0]!.wamid })]);
    expect(hello.sent).toHaveLength(1);
  });

  it('outside the 24-hour window sends the approved template; and when Meta says 131047 inside our window', async () => {
    const client = { waId: '16505550102', name: 'Tom' };
    await turn(h, inbound.text(client, 'hello'));
    h.clock.shift(25 * HOUR);

    const { delivered, row } = await notify(h, client.waId, 'Your site soarix.dev is live.\nReply here if anything looks wrong.');
    expect(delivered).toBe(true);
    const template = h.fake.sentTo(client.waId).at(-1)!;
    expect(template).toMatchObject({
      type: 'template',
      template: { name: TEMPLATE, language: 'en_US', parameters: ['Your site soarix.dev is live. Reply here if anything looks wrong.'] },
    });
    expect(row).toMatchObject({ status: 'sent', platformMessageId: template.wamid });

    // The client writes again: the window is open, but Meta disagrees once.
    h.fake.reEngagement(1);
    const answer = await turn(h, inbound.text(client, 'hi'));
    expect(answer.sent.map((m) => m.type)).toEqual(['template']);
    expect(answer.replies[0]!.status).toBe('sent');
    expect(h.fake.requests.find((r) => r.graphCode === 131047)?.headers.authorization).toBe(`Bearer ${FAKE_WHATSAPP.accessToken}`);
  });
});

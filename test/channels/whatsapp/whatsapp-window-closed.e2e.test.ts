import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbound } from '../../support/fakes/whatsapp/index.js';
import { notify, turn, type WhatsAppService, startWhatsAppService } from './whatsapp-service.js';

/** Without an approved template, a message outside the 24-hour window cannot go out: it is recorded as failed, with why. */

const HOUR = 3_600_000;
const REASON = /24-hour customer-service window is closed .* no approved message template is configured/;
let h: WhatsAppService;
beforeAll(async () => {
  h = await startWhatsAppService();
});
afterAll(async () => {
  await h?.close();
});

describe('WhatsApp without a template, end to end', () => {
  it('records a message outside the window as failed with the clear reason, and sends nothing', async () => {
    const client = { waId: '16505550103', name: 'Lena' };
    await turn(h, inbound.text(client, 'hello'));
    h.clock.shift(26 * HOUR);
    const sentBefore = h.fake.sent.length;
    const postsBefore = h.fake.requests.length;

    const { delivered, row } = await notify(h, client.waId, 'Your invoice is ready.');
    expect(delivered).toBe(false);
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(REASON);
    expect(row.error).toMatch(/last wrote 26 hours ago/);
    expect(row.error).not.toMatch(/16505550103/);
    expect(h.fake.sent).toHaveLength(sentBefore);
    // Not retried: the window does not reopen by itself.
    expect(h.fake.requests).toHaveLength(postsBefore);
  });

  it("treats Meta's 131047 the same way", async () => {
    const client = { waId: '16505550104', name: 'Marc' };
    h.fake.reEngagement(1);
    const answer = await turn(h, inbound.text(client, 'hello'));
    expect(answer.sent).toEqual([]);
    expect(answer.replies).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringMatching(REASON) })]);
  });
});

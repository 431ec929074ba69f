import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoChat } from '../support/demo-chat.js';

// The whole bot on the embedded default (PGlite, offline understanding, the sample documents), asked
// through POST /api/converse as the web chat does.
const demo = new DemoChat();
beforeAll(demo.open);
afterAll(demo.close);
afterEach(demo.cleanup);

describe('knowledge questions in the web chat', () => {
  it('staff and a client get a sourced answer; staff hear where it looked when the documents do not say', { timeout: 60_000 }, async () => {
    await demo.freshBot();

    const refund = await demo.say('ana', "what's our refund policy?", 'kb-staff');
    expect(refund).toMatch(/^The deposit secures your slot in our schedule and is refundable in full if you cancel within 7 days/);
    expect(refund.split('\n').at(-1)).toBe('Source: policies.md › Refund policy');

    const price = await demo.say('ana', 'how much does a website cost?', 'kb-staff');
    expect(price).toContain('- Business: £6,500.');
    expect(price.split('\n').at(-1)).toBe('Source: prices.md › Website packages');

    const unknown = await demo.say('ana', "what's the sla for production incidents", 'kb-staff');
    expect(unknown).toContain("I couldn't find that in our documents (faq.md, policies.md, prices.md, services.md)");

    await demo.bot!.people.grant('webchat', 'lisa', 'client');
    const hosting = await demo.say('lisa', 'do you do hosting?', 'kb-client');
    expect(hosting).toMatch(/host the sites we build/);
    expect(hosting).toMatch(/\nSource: (faq\.md › Do you do hosting\?|services\.md › Hosting and maintenance)$/);
    for (const reply of [refund, price, unknown, hosting]) expect(reply).not.toMatch(/knowledge\.ask|query|KNOWLEDGE_DIR/);
  });
});

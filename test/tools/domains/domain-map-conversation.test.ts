import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoChat, phraseIn } from '../../support/demo-chat.js';

/**
 * The newcomer's path on the embedded default: the demo app (`switchboard demo init`), the SANDBOX DNS
 * and its name server, the web chat's converse API. Mapping a domain is told back at once, the watch
 * finds the records on the sandbox's name server and the verification arrives in the same chat.
 */
const demo = new DemoChat();
beforeAll(demo.open, 120_000);
afterAll(demo.close);
afterEach(demo.cleanup);

describe('mapping a domain to the demo app from the web chat', () => {
  it('connects it, sees it verified, and says so when asked', async () => {
    await demo.freshBot();
    const reply = await demo.say('ana', 'map www.acme-demo.com to demo-site', 'ops');
    expect(reply).toContain('SANDBOX: Connected www.acme-demo.com to demo-site production: A www.acme-demo.com → 127.0.0.1');
    const told = await demo.waitForPost('ops', /www\.acme-demo\.com is verified/, 15_000);
    expect(told).toMatch(/^SANDBOX: ✅ www\.acme-demo\.com is verified and points at demo-site production: every record is seen on 1 of 1 name server/);

    const asked = await demo.say('ana', 'is www.acme-demo.com verified yet?', 'ops');
    expect(asked).toContain('SANDBOX: ✅ www.acme-demo.com points at demo-site production: every record is seen on 1 of 1 name server. It is active.');
    expect((await demo.posted('ops')).filter((t) => t.includes('is verified'))).toHaveLength(1);
  }, 60_000);

  it('restates a record it would overwrite, as it is now, and acts only on the typed phrase', async () => {
    await demo.freshBot();
    const added = await demo.say('ana', 'add an A record for shop.acme-demo.com pointing to 192.0.2.7', 'ops');
    expect(added).toMatch(/192\.0\.2\.7/);
    const restated = await demo.say('ana', 'point shop.acme-demo.com at demo-site staging', 'ops');
    expect(restated).toContain('SANDBOX: Connect shop.acme-demo.com to demo-site staging, in the zone acme-demo.com at the SANDBOX DNS:');
    expect(restated).toContain('• replace A shop.acme-demo.com → 192.0.2.7 (there now)');
    const phrase = phraseIn(restated);
    expect(phrase).toBe('CONFIRM MAP SHOP.ACME-DEMO.COM DEMO-SITE');
    expect(await demo.posted('ops')).toEqual([]);

    const done = await demo.say('ana', phrase!, 'ops');
    expect(done).toContain('SANDBOX: Connected shop.acme-demo.com to demo-site staging');
    expect(done).toContain('(replacing A shop.acme-demo.com → 192.0.2.7)');
    await demo.waitForPost('ops', /shop\.acme-demo\.com is verified and points at demo-site staging/, 15_000);
  }, 60_000);
});

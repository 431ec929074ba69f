import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RegisteredDomainRepo } from '../../../store/index.js';
import { AgentHarness } from '../../support/agent-harness.js';
import { phraseIn } from '../../support/demo-chat.js';
import { FAKE_PORKBUN_KEY, FAKE_PORKBUN_SECRET, PorkbunFake } from '../../support/fakes/porkbun/index.js';
import { RdapFake } from '../../support/fakes/rdap/index.js';
import { StubUnderstander } from '../../support/stub-understander.js';

/** What "the model" understood: the domain intents with their `domain` and `years` slots. */
const understander = new StubUnderstander([
  [/^check (\S+)$/i, 'domain.check', { domain: '$1' }],
  [/^register (\S+) for 2 years$/i, 'domain.register', { domain: '$1', years: 2 }],
  [/^register (\S+)$/i, 'domain.register', { domain: '$1' }],
  // As the offline understanding reads a name it cannot take: the intent, and no domain.
  [/^is (\S+) free\??$/i, 'domain.check', {}],
]);

describe('domain.check and domain.register through the gate, with RDAP and Porkbun fakes set as their URLs', () => {
  let h: AgentHarness;
  let rdap: RdapFake;
  let porkbun: PorkbunFake;
  let dataDir: string;
  beforeAll(async () => {
    rdap = await new RdapFake(['com', 'io']).start();
    rdap.register('acme.com', { registrar: 'Acme Registrar LLC', registeredAt: '1997-09-15T04:00:00Z', expiresAt: '2028-09-14T04:00:00Z' });
    porkbun = await new PorkbunFake().start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'sb-domains-'));
    h = await AgentHarness.open(understander, {
      DATA_DIR: dataDir,
      RDAP_BOOTSTRAP_URL: rdap.bootstrapUrl,
      PORKBUN_API_URL: porkbun.url,
      PORKBUN_API_KEY: FAKE_PORKBUN_KEY,
      PORKBUN_SECRET_KEY: FAKE_PORKBUN_SECRET,
      PORKBUN_ORDER_TIMEOUT_MS: '300',
    });
  });
  afterAll(async () => {
    await h.close();
    await rdap.stop();
    await porkbun.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await h.reset();
    await h.grant('boss', 'admin', 'Boss');
    await h.grant('dev', 'developer', 'Dev');
  });
  const creates = (domain: string) => porkbun.calls('create').filter((r) => r.path.endsWith(`/${domain}`));
  const registered = () => new RegisteredDomainRepo(h.stores.db, h.clock).list();

  it('a name the understanding could not take is named with what is wrong with it, not asked for as if none was given', async () => {
    expect(await h.say('dev', 'is acme..com free?')).toBe('"acme..com" is not a valid domain name: a part between two dots is empty. Which domain did you mean?');
    expect(await h.say('dev', 'acme.com')).toMatch(/^acme\.com is taken/);
    expect(rdap.lookups('acme..com')).toHaveLength(0);
  });

  it('a free name is available with the Porkbun price; a taken one names its registrar and dates', async () => {
    expect(await h.say('dev', 'check free-name.com')).toBe(
      'free-name.com is available. Through Porkbun: $9.73 for the first year, then $10.87 a year. Say "register free-name.com" to buy it.',
    );
    expect(await h.say('dev', 'check ACME.com')).toBe('acme.com is taken: registered with Acme Registrar LLC, since 15 Sept 1997, expires on 14 Sept 2028.');
    expect(rdap.lookups('acme.com')).not.toHaveLength(0);
  });

  it('an IDN is shown in both forms and asked in punycode; a malformed name gets a sentence and no lookup', async () => {
    expect(await h.say('dev', 'check bücher.com')).toMatch(/^bücher\.com \(xn--bcher-kva\.com\) is available \(bücher\.com is written xn--bcher-kva\.com in the DNS\)\./);
    const before = rdap.requests.length;
    expect(await h.say('dev', 'check acme..com')).toBe('"acme..com" is not a valid domain name: a part between two dots is empty.');
    expect(rdap.requests.length).toBe(before);
  });

  it('a rate-limited registry (429, or 403) is "try again later", never available', async () => {
    rdap.rateLimit(1, 429, 20);
    const limited = await h.say('dev', 'check free-name.com');
    expect(limited).toBe("That didn't work: The registry for .com is limiting lookups right now, so I can't tell whether free-name.com is free. Try again in 20 seconds.");
    rdap.rateLimit(1, 403);
    expect(await h.say('dev', 'check free-name.com')).not.toMatch(/is available/);
  });

  it('registering restates price, years, renewal, premium and "cannot be undone"; the phrase carries a code; an admin confirms and it is bought once', async () => {
    const restated = await h.say('boss', 'register soarix-demo.com for 2 years');
    expect(restated).toContain('Register soarix-demo.com for 2 years through Porkbun.');
    expect(restated).toContain('Price: $19.46 now ($9.73 × 2 years); it then renews at $10.87 a year.');
    expect(restated).toContain('Not a premium name.');
    expect(restated).toContain('cannot be undone');
    const phrase = phraseIn(restated)!;
    expect(phrase).toMatch(/^CONFIRM REGISTER SOARIX-DEMO\.COM 2-YEARS [A-HJ-NP-Z2-9]{4}$/);
    expect(creates('soarix-demo.com')).toHaveLength(0);

    // Without its code the phrase is a wrong attempt, and nothing is bought.
    expect(await h.say('boss', phrase.slice(0, -5))).toMatch(/doesn't match/);
    expect(creates('soarix-demo.com')).toHaveLength(0);

    expect(await h.say('boss', phrase)).toBe('Registered soarix-demo.com for 2 years through Porkbun for $19.46. It renews at $10.87 a year. Order 3000001.'.replace('3000001', String(porkbun.owned.get('soarix-demo.com')!.orderId)));
    expect(creates('soarix-demo.com')).toHaveLength(1);
    expect(creates('soarix-demo.com')[0]).toMatchObject({ body: { cost: 1946, agreeToTerms: 'yes' }, idempotencyKey: expect.stringMatching(/^confirmation:/) });
    expect(await registered()).toEqual([expect.objectContaining({ domain: 'soarix-demo.com', registrar: 'porkbun', years: 2, costCents: 1946, renewalCents: 1087 })]);
  });

  it('a developer can neither start a purchase nor confirm an admin\'s', async () => {
    expect(await h.say('dev', 'register dev-wants.com')).toMatch(/don't have access/);
    const phrase = phraseIn(await h.say('boss', 'register dev-wants.com', { conversation: 'team' }))!;
    expect(await h.say('dev', phrase, { conversation: 'team' })).toMatch(/can confirm/);
    expect(creates('dev-wants.com')).toHaveLength(0);
  });

  it('a quote that changes between the restatement and the confirmation stops it: nothing is bought, no order is sent', async () => {
    const phrase = phraseIn(await h.say('boss', 'register price-moves.com'))!;
    porkbun.setPrice('price-moves.com', { price: '12.99', renewal: '14.99' });
    expect(await h.say('boss', phrase)).toBe(
      "That didn't work: Porkbun's price for price-moves.com changed since you confirmed (now $12.99 instead of $9.73; renewal now $14.99 a year instead of $10.87), so I stopped: nothing was bought. Ask again to see the new price and confirm it.",
    );
    expect(creates('price-moves.com')).toHaveLength(0);
    expect(porkbun.owned.has('price-moves.com')).toBe(false);
    expect(await registered()).toEqual([]);
  });

  it('an order that times out is not repeated blindly: the account is asked, the name is ours, nothing is bought twice', async () => {
    const phrase = phraseIn(await h.say('boss', 'register slow-order.com'))!;
    const purchases = porkbun.purchases;
    porkbun.delayNextCreate(1_500);
    expect(await h.say('boss', phrase)).toMatch(/^Registered slow-order\.com for 1 year through Porkbun for \$9\.73 \(the order had already gone through; nothing was bought twice\)\./);
    expect(creates('slow-order.com')).toHaveLength(1);
    expect(porkbun.purchases - purchases).toBe(1);
    const listAll = porkbun.calls('listAll');
    expect(listAll.length).toBeGreaterThan(0);
    expect(await registered()).toEqual([expect.objectContaining({ domain: 'slow-order.com', registrar: 'porkbun' })]);
  });

  it("Porkbun's refusals become sentences: a name taken since the quote, a TLD it does not sell", async () => {
    const phrase = phraseIn(await h.say('boss', 'register snatched.com'))!;
    porkbun.take('snatched.com');
    expect(await h.say('boss', phrase)).toBe("That didn't work: snatched.com was taken since I quoted it; nothing was bought.");
    expect(await h.say('boss', 'register acme-shop.io')).toBe("I can't get a price for acme-shop.io from Porkbun: Porkbun refused: The TLD of acme-shop.io is not supported");
    expect(creates('snatched.com')).toHaveLength(0);
  });
});

describe('the sandbox registrar (the default): real records, SANDBOX in every reply', () => {
  let h: AgentHarness;
  let rdap: RdapFake;
  let dataDir: string;
  beforeAll(async () => {
    rdap = await new RdapFake(['com']).start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'sb-domains-'));
    h = await AgentHarness.open(understander, { DATA_DIR: dataDir, RDAP_BOOTSTRAP_URL: rdap.bootstrapUrl });
    await h.reset();
    await h.grant('boss', 'owner', 'Boss');
  });
  afterAll(async () => {
    await h.close();
    await rdap.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('checks with the sandbox price, registers after the phrase, and the name is then ours', async () => {
    expect(await h.say('boss', 'check my-sandbox.com')).toBe(
      'SANDBOX: my-sandbox.com is available. Through the SANDBOX registrar (nothing is bought): $10.99 for the first year, then $11.99 a year. Say "register my-sandbox.com" to buy it.',
    );
    const restated = await h.say('boss', 'register my-sandbox.com');
    expect(restated).toMatch(/^SANDBOX: Register my-sandbox\.com for 1 year through the SANDBOX registrar \(nothing is bought\)\./);
    expect(await h.say('boss', phraseIn(restated)!)).toMatch(/^SANDBOX: Registered my-sandbox\.com for 1 year through the SANDBOX registrar \(nothing is bought\) for \$10\.99\./);
    expect(await new RegisteredDomainRepo(h.stores.db, h.clock).list('sandbox')).toEqual([expect.objectContaining({ domain: 'my-sandbox.com', costCents: 1099 })]);
    expect(await h.say('boss', 'register my-sandbox.com')).toBe('SANDBOX: my-sandbox.com is already ours (registered in the SANDBOX); nothing to buy.');
    expect(await h.say('boss', 'check my-sandbox.com')).toBe('SANDBOX: my-sandbox.com is ours: registered in the SANDBOX, so the real registry does not know it.');
    // No RDAP for the TLD (or no registry reachable, as on a machine without network): the registrar's answer, said as such.
    expect(await h.say('boss', 'check my-sandbox.org')).toBe(
      "SANDBOX: The registry for .org has no RDAP service, so here is the registrar's answer: The SANDBOX registrar (nothing is bought) says my-sandbox.org is available: $9.99 for the first year, then $11.49 a year.",
    );
    // A short name is premium, and the restatement says so.
    expect(await h.say('boss', 'register abc.com')).toContain('⚠️ This is a premium name');
  });
});

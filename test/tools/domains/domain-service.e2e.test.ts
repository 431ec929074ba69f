import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phraseIn } from '../../support/demo-chat.js';
import { FAKE_PORKBUN_KEY, FAKE_PORKBUN_SECRET, PorkbunFake } from '../../support/fakes/porkbun/index.js';
import { RdapFake } from '../../support/fakes/rdap/index.js';
import { runCli, spawnService, tempDataDir, type SpawnedService } from '../../support/spawn-service.js';

/** The service process with only the fakes' URLs and keys set: the same conversation as on the sandbox drives the real clients. */
describe('domains in the running service, with the RDAP and Porkbun fakes as its registry and registrar', () => {
  let rdap: RdapFake;
  let porkbun: PorkbunFake;
  let service: SpawnedService;
  let dataDir: string;
  beforeAll(async () => {
    rdap = await new RdapFake(['com']).start();
    rdap.register('acme.com', { registrar: 'Acme Registrar LLC' });
    porkbun = await new PorkbunFake().start();
    dataDir = tempDataDir();
    const env = {
      DATA_DIR: dataDir,
      RDAP_BOOTSTRAP_URL: rdap.bootstrapUrl,
      PORKBUN_API_URL: porkbun.url,
      PORKBUN_API_KEY: FAKE_PORKBUN_KEY,
      PORKBUN_SECRET_KEY: FAKE_PORKBUN_SECRET,
    };
    expect((await runCli(['users', 'grant', 'webchat:boss', 'admin'], env)).code).toBe(0);
    service = await spawnService(env);
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await rdap.stop();
    await porkbun.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const say = async (text: string): Promise<string> => {
    const response = await fetch(`${service.url}/api/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'boss', text, conversation: 'ops' }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  };

  it('checks, registers with the critical phrase, and Porkbun receives one order at the quoted cost; no key reaches the log', async () => {
    expect(await say('is soarix-demo.com available?')).toMatch(/^soarix-demo\.com is available\. Through Porkbun: \$9\.73 for the first year, then \$10\.87 a year\./);
    expect(await say('who owns acme.com')).toMatch(/^acme\.com is taken: registered with Acme Registrar LLC/);
    const restated = await say('register soarix-demo.com');
    expect(restated).toContain('Price: $9.73 now');
    const phrase = phraseIn(restated)!;
    expect(phrase).toMatch(/^CONFIRM REGISTER SOARIX-DEMO\.COM 1-YEAR [A-Z2-9]{4}$/);
    expect(await say(phrase)).toMatch(/^Registered soarix-demo\.com for 1 year through Porkbun for \$9\.73\./);
    expect(porkbun.purchases).toBe(1);
    expect(porkbun.calls('create')).toEqual([expect.objectContaining({ body: expect.objectContaining({ cost: 973, agreeToTerms: 'yes' }) })]);
    // The bootstrap was fetched from RDAP_BOOTSTRAP_URL and kept in DATA_DIR.
    expect(rdap.requests.filter((r) => r.path === '/dns.json')).toHaveLength(1);
    expect(service.log()).not.toContain(FAKE_PORKBUN_SECRET);
    expect(service.log()).not.toContain(FAKE_PORKBUN_KEY);
  });
});

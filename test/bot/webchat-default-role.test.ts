import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { createServiceHttpServer } from '../../bot/service.js';
import { ManualClock, silentLogger } from '../../core/index.js';
import { OfflineUnderstander } from '../../intents/index.js';
import type { Stores } from '../../store/open-stores.js';
import { memoryStores } from '../support/memory-stores.js';
import { testConfig } from '../support/test-config.js';

/** A stranger opening the web chat page of a service started with `env`, and what they get told. */
const understander = OfflineUnderstander.train();
let opened: { bot: Bot; stores: Stores; close(): Promise<void> } | undefined;

async function visitorAsks(env: Record<string, string>, text: string): Promise<{ reply: string; role: string | undefined }> {
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  const stores = await memoryStores(clock);
  const config = testConfig(env);
  const bot = createBot({ config, logger: silentLogger(), clock, stores, understander });
  await bot.start();
  const app = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot, stores });
  opened = {
    bot,
    stores,
    async close() {
      await app.close();
      await bot.stop();
      await stores.close();
    },
  };
  const response = await app.inject({ method: 'POST', url: '/webchat/api/messages', headers: { 'content-type': 'application/json' }, payload: { text } });
  expect(response.statusCode).toBe(200);
  const reply = (response.json() as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  const { rows } = await stores.db.query<{ role: string }>(`SELECT p.role FROM people p JOIN identities i ON i.person_id = p.id WHERE i.channel = 'webchat'`);
  return { reply, role: rows[0]?.role };
}

afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe('a web chat visitor, by where the service listens', () => {
  it('on HOST=0.0.0.0 is asked to pair before anything else, and is stored as unknown', async () => {
    const { reply, role } = await visitorAsks({ HOST: '0.0.0.0' }, 'what are my tasks');
    expect(reply).toMatch(/^I don't know you yet\. Ask an admin to approve your pairing code \S+/);
    expect(role).toBe('unknown');
  });

  it('on HOST=127.0.0.1 is a developer, as before', async () => {
    const { reply, role } = await visitorAsks({ HOST: '127.0.0.1' }, 'what can you do?');
    expect(reply).toMatch(/^Here is what you can ask me \(as developer\):/);
    expect(role).toBe('developer');
  });

  it('on HOST=0.0.0.0 gets the role WEBCHAT_DEFAULT_ROLE names, when it is set on purpose', async () => {
    const { reply, role } = await visitorAsks({ HOST: '0.0.0.0', WEBCHAT_DEFAULT_ROLE: 'client' }, 'what can you do?');
    // A client hears the client help (bot/client), which names no role.
    expect(reply).toMatch(/^Here is what I can do for you:/);
    expect(role).toBe('client');
  });
});

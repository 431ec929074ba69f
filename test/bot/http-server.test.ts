import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { createServiceHttpServer } from '../../bot/service.js';
import { SystemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { Stores } from '../../store/open-stores.js';
import { truncateAll } from '../store/durable/durable-store.contract.js';
import { GreetingHandler } from '../support/greeting-handler.js';
import { memoryStores } from '../support/memory-stores.js';
import { testConfig } from '../support/test-config.js';

const clock = new SystemClock();
const TOKEN = 'test-token-0123456789abcdef';
const LOCAL_ADMIN_TOKEN = 'local-admin-token-from-the-lock-file';
let stores: Stores;

async function server(env: Record<string, string> = {}, localAdminToken?: string): Promise<{ app: FastifyInstance; bot: Bot }> {
  const config = testConfig(env);
  const bot = createBot({ config, logger: silentLogger(), clock, stores, handler: new GreetingHandler() });
  await bot.start();
  const withLock: Stores = localAdminToken
    ? { ...stores, dataDirLock: { info: { pid: process.pid, startedAt: '', adminToken: localAdminToken }, setUrl() {}, release() {} } }
    : stores;
  const app = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot, stores: withLock });
  return { app, bot };
}

async function storedRows(): Promise<{ messages: number; people: number; conversations: number }> {
  const { rows } = await stores.db.query<{ messages: number; people: number; conversations: number }>(
    `SELECT (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM people) AS people,
            (SELECT count(*)::int FROM conversations) AS conversations`,
  );
  return rows[0]!;
}

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

beforeAll(async () => {
  stores = await memoryStores(clock);
});
afterAll(async () => {
  await stores.close();
});
beforeEach(async () => {
  await truncateAll({ db: stores.db, close: async () => {} });
});

describe('POST /api/converse', () => {
  it('runs one turn and returns the replies', async () => {
    const { app } = await server();
    const res = await app.inject({ method: 'POST', url: '/api/converse', headers: { 'content-type': 'application/json' }, payload: { user: 'alice', text: 'hello' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'answered', replies: [{ text: expect.stringMatching(/^Hello! I'm Switchboard/) }] });
    expect(await storedRows()).toEqual({ messages: 2, people: 1, conversations: 1 });
  });

  it('treats messageId as an idempotency key', async () => {
    const { app } = await server();
    const send = () => app.inject({ method: 'POST', url: '/api/converse', headers: { 'content-type': 'application/json' }, payload: { user: 'alice', text: 'hi', messageId: 'abc' } });
    const first = (await send()).json();
    const second = (await send()).json();
    expect(second.status).toBe('duplicate');
    expect(second.replies).toEqual(first.replies);
    expect((await storedRows()).messages).toBe(2);
  });

  it('without SWITCHBOARD_API_TOKEN accepts loopback only', async () => {
    const { app } = await server();
    const remote = await app.inject({ method: 'POST', url: '/api/converse', remoteAddress: '203.0.113.7', headers: { 'content-type': 'application/json' }, payload: { user: 'a', text: 'hi' } });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('SWITCHBOARD_API_TOKEN') });
    const v6 = await app.inject({ method: 'POST', url: '/api/converse', remoteAddress: '::1', headers: { 'content-type': 'application/json' }, payload: { user: 'a', text: 'hi' } });
    expect(v6.statusCode).toBe(200);
  });

  it('with SWITCHBOARD_API_TOKEN requires the bearer token, from anywhere', async () => {
    const { app } = await server({ SWITCHBOARD_API_TOKEN: TOKEN });
    const payload = { user: 'a', text: 'hi' };
    const none = await app.inject({ method: 'POST', url: '/api/converse', headers: { 'content-type': 'application/json' }, payload });
    const wrong = await app.inject({ method: 'POST', url: '/api/converse', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}x` }, payload });
    const right = await app.inject({ method: 'POST', url: '/api/converse', remoteAddress: '203.0.113.7', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, payload });
    expect([none.statusCode, wrong.statusCode, right.statusCode]).toEqual([401, 401, 200]);
    expect(none.json().error.code).toBe('unauthorized');
  });

  it('answers malformed JSON, missing fields, oversized bodies and other content types with 4xx, and stores nothing', async () => {
    const { app } = await server({ MAX_BODY_BYTES: '2048' });
    const malformed = await app.inject({ method: 'POST', url: '/api/converse', headers: { 'content-type': 'application/json' }, payload: '{"user": "a", "text": ' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toEqual({ code: 'bad_request', message: 'The body is not valid JSON.' });

    const missing = await app.inject({ method: 'POST', url: '/api/converse', ...json({ text: 'hi' }) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/user is required/);

    const wrongType = await app.inject({ method: 'POST', url: '/api/converse', ...json({ user: 'a', text: 42 }) });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toMatch(/text/);

    const emptyUser = await app.inject({ method: 'POST', url: '/api/converse', ...json({ user: '  ', text: 'hi' }) });
    expect(emptyUser.statusCode).toBe(400);

    const notObject = await app.inject({ method: 'POST', url: '/api/converse', ...json(['user', 'text']) });
    expect(notObject.statusCode).toBe(400);

    const huge = await app.inject({ method: 'POST', url: '/api/converse', ...json({ user: 'a', text: 'x'.repeat(5000) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toEqual({ code: 'payload_too_large', message: 'The request body is larger than the limit of 2048 bytes.' });

    const form = await app.inject({ method: 'POST', url: '/api/converse', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'user=a&text=hi' });
    expect(form.statusCode).toBe(415);

    expect(await storedRows()).toEqual({ messages: 0, people: 0, conversations: 0 });
  });
});

describe('admin API', () => {
  it('runs a store command with the per-start local token from loopback, not from elsewhere', async () => {
    const { app, bot } = await server({}, LOCAL_ADMIN_TOKEN);
    const grant = (remoteAddress: string, token?: string) =>
      app.inject({
        method: 'POST',
        url: '/api/admin/commands/users.grant',
        remoteAddress,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: { identity: 'telegram:42', role: 'developer' },
      });
    expect((await grant('127.0.0.1')).statusCode).toBe(401);
    expect((await grant('203.0.113.7', LOCAL_ADMIN_TOKEN)).statusCode).toBe(401);
    expect(await bot.people.findByIdentity('telegram', '42')).toBeUndefined();
    const ok = await grant('127.0.0.1', LOCAL_ADMIN_TOKEN);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().result).toMatchObject({ identity: 'telegram:42', role: 'developer' });
    expect((await bot.people.findByIdentity('telegram', '42'))?.role).toBe('developer');
  });

  it('explains bad arguments and unknown commands', async () => {
    const { app } = await server({ SWITCHBOARD_API_TOKEN: TOKEN });
    const call = (name: string, payload: unknown) =>
      app.inject({ method: 'POST', url: `/api/admin/commands/${name}`, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, payload: JSON.stringify(payload) });
    const badRole = await call('users.grant', { identity: 'webchat:bob', role: 'king' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.message).toMatch(/role must be one of owner, admin/);
    const badChannel = await call('users.grant', { identity: 'fax:123', role: 'admin' });
    expect(badChannel.json().error.message).toMatch(/unknown channel "fax"/);
    const noColon = await call('users.grant', { identity: 'bob', role: 'admin' });
    expect(noColon.json().error.message).toMatch(/<channel>:<userId>/);
    const unknown = await call('users.delete-everything', {});
    expect(unknown.statusCode).toBe(400);
    expect(await storedRows()).toEqual({ messages: 0, people: 0, conversations: 0 });
  });
});

describe('health, readiness and the rest', () => {
  it('reports liveness and the stores behind readiness', async () => {
    const { app } = await server();
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).json()).toEqual({ status: 'ready', stores: { durable: true, hot: true } });
  });

  it('says not ready when a store is unreachable', async () => {
    const config = testConfig();
    const bot = createBot({ config, logger: silentLogger(), clock, stores, handler: new GreetingHandler() });
    const broken: Stores = { ...stores, hot: Object.assign(Object.create(stores.hot), { ping: async () => { throw new Error('ECONNREFUSED'); } }) };
    const app = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot, stores: broken });
    const res = await app.inject('/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not ready', stores: { durable: true, hot: false } });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const { app } = await server();
    const res = await app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

describe('web chat', () => {
  it('serves the page without any external resource', async () => {
    const { app } = await server();
    const page = await app.inject('/');
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).not.toMatch(/https?:\/\//);
    expect((await app.inject('/webchat/app.js')).statusCode).toBe(200);
  });

  it('gives a visitor a session, answers their messages and keeps their history', async () => {
    const { app } = await server();
    const session = await app.inject('/webchat/api/session');
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    expect(String(session.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const user = session.json().user as string;
    expect(user).toMatch(/^web-[0-9a-f]{16}$/);
    expect(cookie).not.toContain(user.slice(4));

    const sent = await app.inject({ method: 'POST', url: '/webchat/api/messages', headers: { cookie, 'content-type': 'application/json' }, payload: { text: 'hello' } });
    expect(sent.json().replies[0].text).toMatch(/Hello/);
    const history = await app.inject({ url: '/webchat/api/history', headers: { cookie } });
    expect(history.json().messages.map((m: { direction: string }) => m.direction)).toEqual(['in', 'out']);

    const stranger = await app.inject('/webchat/api/history');
    expect(stranger.json().messages).toEqual([]);
  });

  it('refuses an empty message and stores nothing', async () => {
    const { app } = await server();
    const res = await app.inject({ method: 'POST', url: '/webchat/api/messages', headers: { 'content-type': 'application/json' }, payload: { text: '   ' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('text must not be empty');
    expect((await storedRows()).messages).toBe(0);
  });
});

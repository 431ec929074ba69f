import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackFake } from './index.js';

/** The fake must refuse what Slack's Web API refuses, or tests against it prove nothing. */

let fake: SlackFake;

beforeAll(async () => {
  fake = await new SlackFake().start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => fake.clear());

async function call(method: string, body: string | Record<string, unknown>, headers: Record<string, string> = {}) {
  const form = typeof body === 'string';
  const response = await fetch(`${fake.url}${method}`, {
    method: 'POST',
    headers: {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8',
      authorization: `Bearer ${fake.botToken}`,
      ...headers,
    },
    body: form ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

describe('SlackFake: authentication and content types', () => {
  it('answers not_authed without a token and invalid_auth with a wrong one, as HTTP 200', async () => {
    expect((await call('auth.test', '', { authorization: '' })).json).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('auth.test', '', { authorization: 'Bearer xoxb-wrong' })).json).toEqual({ ok: false, error: 'invalid_auth' });
    const noBearerJson = await call('chat.postMessage', { channel: 'C1', text: 'hi', token: fake.botToken }, { authorization: '' });
    expect(noBearerJson).toMatchObject({ status: 200, json: { ok: false, error: 'not_authed' } });
  });

  it('accepts the token as a form field, and JSON with a Bearer header', async () => {
    expect((await call('auth.test', `token=${fake.botToken}`, { authorization: '' })).json).toMatchObject({ ok: true, user_id: fake.botUserId, bot_id: fake.botId });
    expect((await call('chat.postMessage', { channel: 'C1', text: 'hi' })).json).toMatchObject({ ok: true, channel: 'C1', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
  });

  it('refuses other content types', async () => {
    expect((await call('auth.test', 'x', { 'content-type': 'text/plain' })).json).toEqual({ ok: false, error: 'invalid_form_data' });
  });
});

describe('SlackFake: chat.postMessage', () => {
  it('needs a channel and text or blocks, and text under 40 000 characters', async () => {
    expect((await call('chat.postMessage', 'text=hi')).json.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', 'channel=C1')).json.error).toBe('no_text');
    expect((await call('chat.postMessage', `channel=C1&text=${'a'.repeat(40_001)}`)).json.error).toBe('msg_too_long');
    expect((await call('chat.postMessage', 'channel=C1&text=hi&thread_ts=yesterday')).json.error).toBe('invalid_thread_ts');
    expect(fake.posted).toEqual([]);
  });

  it('checks blocks as Block Kit does', async () => {
    const post = (blocks: unknown) => call('chat.postMessage', new URLSearchParams({ channel: 'C1', blocks: JSON.stringify(blocks) }).toString());
    expect((await call('chat.postMessage', 'channel=C1&blocks=%5Bnot')).json.error).toBe('invalid_blocks_format');
    expect((await post([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }])).json.error).toBe('invalid_blocks');
    expect((await post([{ type: 'actions', elements: [] }])).json.error).toBe('invalid_blocks');
    expect((await post([{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'mrkdwn', text: 'Go' } }] }])).json.error).toBe('invalid_blocks');
    const twice = { type: 'button', action_id: 'cancel', text: { type: 'plain_text', text: 'Cancel' } };
    expect((await post([{ type: 'actions', elements: [twice, twice] }])).json.error).toBe('invalid_blocks');
    expect((await post(Array.from({ length: 51 }, () => ({ type: 'divider' })))).json.error).toBe('invalid_blocks');
    expect((await post([{ type: 'section', text: { type: 'mrkdwn', text: 'fine' } }, { type: 'actions', elements: [twice] }])).json.ok).toBe(true);
    expect(fake.posted).toHaveLength(1);
  });

  it('answers scripted failures: 429 with Retry-After, 500, a platform error, then works', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 3 }).fail('chat.postMessage', { status: 500 }).fail('chat.postMessage', { error: 'not_in_channel' });
    const limited = await call('chat.postMessage', 'channel=C1&text=hi');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await call('chat.postMessage', 'channel=C1&text=hi')).status).toBe(500);
    expect((await call('chat.postMessage', 'channel=C1&text=hi')).json.error).toBe('not_in_channel');
    expect((await call('chat.postMessage', 'channel=C1&text=hi')).json.ok).toBe(true);
    expect(fake.callsOf('chat.postMessage').map((c) => c.outcome)).toEqual(['ratelimited', 'HTTP 500', 'not_in_channel', 'ok']);
  });
});

describe('SlackFake: files', () => {
  it('serves files.info and the private download only with the bot token', async () => {
    fake.addFile({ id: 'F0NOTE0001', name: 'note.ogg', mimetype: 'audio/ogg', bytes: Buffer.from('OggS') });
    expect((await call('files.info', 'file=F0MISSING1')).json.error).toBe('file_not_found');
    const info = (await call('files.info', 'file=F0NOTE0001')).json;
    expect(info.file).toMatchObject({ id: 'F0NOTE0001', mimetype: 'audio/ogg', size: 4, url_private: expect.stringMatching(/^https:\/\/files\.slack\.com\/files-pri\//) });
    const path = new URL(info.file.url_private as string).pathname;
    const withToken = await fetch(`${fake.origin}${path}`, { headers: { authorization: `Bearer ${fake.botToken}` } });
    expect(Buffer.from(await withToken.arrayBuffer()).toString()).toBe('OggS');
    const without = await fetch(`${fake.origin}${path}`);
    expect(without.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

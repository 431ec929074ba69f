import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelDeps, OutboundMessage, RawRequest } from '../../../channels/index.js';
import { ChannelSendError } from '../../../channels/index.js';
import { webApi } from '@slack/bolt';
import { createSlackChannel, downloadSlackFile, SlackAuthError, type SlackChannel, type SlackSettings } from '../../../channels/slack/index.js';
import { ManualClock, SystemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import {
  appMentionEvent,
  blockActions,
  eventCallback,
  FAKE_SLACK_SIGNING_SECRET,
  messageEvent,
  SlackFake,
  slackTs,
  slashCommand,
} from '../../support/fakes/slack/index.js';

/** The adapter on its own, against the Slack fake: the real WebClient sends, the fake checks. */

let fake: SlackFake;
let slack: SlackChannel;
const handled: unknown[] = [];

const deps: ChannelDeps = {
  logger: silentLogger(),
  clock: new SystemClock(),
  lastInboundAt: async () => undefined,
  recordDeliveryStatus: async () => false,
};

function settings(overrides: Partial<SlackSettings> = {}): SlackSettings {
  return { botToken: fake.botToken, signingSecret: FAKE_SLACK_SIGNING_SECRET, appToken: undefined, apiUrl: fake.url, ...overrides };
}

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id: 'c0ffee00-0000-4000-8000-000000000001', channel: 'slack', conversation: 'C0OPS00001', text: 'Task #3 created.', kind: 'reply', createdAt: Date.now(), ...overrides };
}

/** A request as the HTTP server hands it to a route: raw bytes and headers, signed like Slack signs. */
function signed(path: string, body: string, contentType: string, options: { secret?: string; timestamp?: number } = {}): RawRequest {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', options.secret ?? FAKE_SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    path,
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature },
    query: {},
    rawBody: Buffer.from(body, 'utf8'),
  };
}

function route(path: string) {
  const found = slack.webhooks().find((r) => r.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
}

beforeAll(async () => {
  fake = await new SlackFake().start();
  slack = createSlackChannel(settings(), deps);
  await slack.start(async (message) => {
    handled.push(message);
    return { status: 'answered', replies: [] };
  });
});

afterAll(async () => {
  await slack.stop();
  await fake.stop();
});

beforeEach(() => fake.clear());

describe('starting', () => {
  it('asks auth.test who the bot is', () => {
    expect(slack.self).toEqual({ userId: fake.botUserId, botId: fake.botId, teamId: fake.teamId });
  });

  it('refuses to start with a token Slack refuses, saying which setting to fix', async () => {
    const wrong = createSlackChannel(settings({ botToken: 'xoxb-0000-0000-WrongToken' }), deps);
    await expect(wrong.start(async () => ({ status: 'answered', replies: [] }))).rejects.toThrow(SlackAuthError);
    await expect(wrong.start(async () => ({ status: 'answered', replies: [] }))).rejects.toThrow(/invalid_auth.*SLACK_BOT_TOKEN/);
  });

  it('starts when Slack cannot answer auth.test, reads mentions with the bot user the event names, and asks again later', async () => {
    const clock = new ManualClock(Date.now());
    fake.fail('auth.test', { status: 500 });
    const late = createSlackChannel(settings(), { ...deps, clock });
    await late.start(async () => ({ status: 'answered', replies: [] }));
    expect(late.self).toBeUndefined();
    const events = late.webhooks().find((r) => r.path === '/webhooks/slack/events')!;
    const mention = eventCallback(appMentionEvent({ channel: 'C0OPS00009', user: 'U0ANA00001', text: `<@${fake.botUserId}> my tasks` }));
    const read = () => events.verifyAndParse(signed('/webhooks/slack/events', JSON.stringify(mention), 'application/json'));
    expect(await read()).toMatchObject({ kind: 'messages', messages: [{ text: 'my tasks' }] });
    expect(fake.callsOf('auth.test')).toHaveLength(1); // not again within the minute
    await clock.advance(61_000);
    await read();
    await fake.waitForCalls('auth.test', 2);
    await vi.waitFor(() => expect(late.self).toEqual({ userId: fake.botUserId, botId: fake.botId, teamId: fake.teamId }));
  });
});

describe('sending', () => {
  it('posts form-encoded with the bot token, in the thread, as mrkdwn, and returns the ts', async () => {
    const receipt = await slack.send(reply({ thread: '1700000000.000100', text: 'Deleted task #3 "call <Acme> & co".' }));
    const [call] = fake.callsOf('chat.postMessage');
    expect(call).toMatchObject({ contentType: 'application/x-www-form-urlencoded', outcome: 'ok', headers: { authorization: `Bearer ${fake.botToken}` } });
    expect(fake.posted).toEqual([
      { channel: 'C0OPS00001', thread_ts: '1700000000.000100', text: 'Deleted task #3 "call &lt;Acme&gt; &amp; co".', blocks: undefined, mrkdwn: 'true', ts: receipt.platformMessageId },
    ]);
    expect(receipt.platformMessageId).toMatch(/^\d+\.\d{6}$/);
  });

  it('sends buttons as an actions block Slack accepts, with the text as fallback', async () => {
    await slack.send(reply({ text: 'To go ahead, type exactly:\nCONFIRM DELETE TASK 3', buttons: [{ id: 'cancel', label: 'Cancel' }] }));
    expect(fake.posted[0]!.text).toBe('To go ahead, type exactly:\nCONFIRM DELETE TASK 3');
    expect(fake.posted[0]!.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'To go ahead, type exactly:\nCONFIRM DELETE TASK 3' } },
      { type: 'actions', block_id: expect.any(String), elements: [{ type: 'button', action_id: 'cancel', value: 'cancel', text: { type: 'plain_text', text: 'Cancel', emoji: true } }] },
    ]);
  });

  it('sends a long result as sections Slack accepts', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `• #${i + 1} renew the certificate of shop-${i}.example.com`).join('\n');
    await slack.send(reply({ text }));
    expect(fake.callsOf('chat.postMessage')[0]!.outcome).toBe('ok');
    expect(fake.posted[0]!.blocks!.length).toBeGreaterThan(3);
  });

  it('turns a 429 into a retryable error carrying Retry-After, without retrying inside the client', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await slack.send(reply()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000, channel: 'slack' });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('turns 5xx and an unreachable Slack into retryable errors', async () => {
    fake.fail('chat.postMessage', { status: 500 }).fail('chat.postMessage', { status: 503 });
    await expect(slack.send(reply())).rejects.toMatchObject({ retryable: true });
    await expect(slack.send(reply())).rejects.toMatchObject({ retryable: true });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
    const offline = createSlackChannel(settings({ apiUrl: 'http://127.0.0.1:9/api/' }), deps, { apiTimeoutMs: 2_000 });
    await expect(offline.send(reply())).rejects.toMatchObject({ retryable: true, message: /could not be reached/ });
  });

  it('turns channel_not_found, not_in_channel and invalid_auth into errors that are not retried', async () => {
    fake.fail('chat.postMessage', { error: 'channel_not_found' }).notIn('C0PRIVATE1');
    await expect(slack.send(reply())).rejects.toMatchObject({ retryable: false, message: /channel_not_found/ });
    await expect(slack.send(reply({ conversation: 'C0PRIVATE1' }))).rejects.toMatchObject({ retryable: false, message: /not_in_channel/ });
    const wrong = createSlackChannel(settings({ botToken: 'xoxb-0000-0000-WrongToken' }), deps);
    await expect(wrong.send(reply())).rejects.toMatchObject({ retryable: false, message: /invalid_auth/ });
  });
});

describe('receiving through the routes', () => {
  it('answers url_verification with the challenge as plain text', async () => {
    const body = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    expect(await route('/webhooks/slack/events').verifyAndParse(signed('/webhooks/slack/events', body, 'application/json'))).toEqual({
      kind: 'response',
      response: { status: 200, contentType: 'text/plain; charset=utf-8', body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' },
    });
  });

  it('refuses unsigned, forged and stale requests (401) before reading them', async () => {
    const body = JSON.stringify(eventCallback(messageEvent({ channel: 'D0ANA00001', user: 'U0ANA00001', text: 'hi' })));
    const events = route('/webhooks/slack/events');
    const unsigned = { ...signed('/webhooks/slack/events', body, 'application/json'), headers: { 'content-type': 'application/json' } };
    await expect(events.verifyAndParse(unsigned)).rejects.toMatchObject({ status: 401 });
    await expect(events.verifyAndParse(signed('/webhooks/slack/events', body, 'application/json', { secret: 'forged-secret-0000' }))).rejects.toMatchObject({ status: 401 });
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    await expect(events.verifyAndParse(signed('/webhooks/slack/events', body, 'application/json', { timestamp: stale }))).rejects.toMatchObject({ status: 401 });
    await expect(events.verifyAndParse(signed('/webhooks/slack/events', 'not json', 'application/json'))).rejects.toMatchObject({ status: 400 });
  });

  it('reads a slash command and a Cancel click, and refuses bodies Slack would not send (400)', async () => {
    const command = new URLSearchParams(slashCommand({ command: '/task', text: 'list', channel_id: 'C0OPS00001', user_id: 'U0ANA00001' })).toString();
    const commands = route('/webhooks/slack/commands');
    expect(await commands.verifyAndParse(signed('/webhooks/slack/commands', command, 'application/x-www-form-urlencoded'))).toMatchObject({
      kind: 'messages',
      messages: [{ text: 'task list', conversation: 'C0OPS00001' }],
      ack: { status: 200, body: { response_type: 'ephemeral' } },
    });
    await expect(commands.verifyAndParse(signed('/webhooks/slack/commands', JSON.stringify({ command: '/task' }), 'application/json'))).rejects.toMatchObject({ status: 400 });

    const interactivity = route('/webhooks/slack/interactivity');
    const click = new URLSearchParams({ payload: JSON.stringify(blockActions({ user: 'U0ANA00001', channel: 'C0OPS00001', messageTs: slackTs(), threadTs: '1700000000.000100', actionId: 'cancel' })) }).toString();
    expect(await interactivity.verifyAndParse(signed('/webhooks/slack/interactivity', click, 'application/x-www-form-urlencoded'))).toMatchObject({
      kind: 'messages',
      messages: [{ text: 'cancel', viaButton: true, thread: '1700000000.000100' }],
    });
    await expect(interactivity.verifyAndParse(signed('/webhooks/slack/interactivity', 'payload=', 'application/x-www-form-urlencoded'))).rejects.toMatchObject({ status: 400 });
    await expect(interactivity.verifyAndParse(signed('/webhooks/slack/interactivity', 'payload=%7Bnot', 'application/x-www-form-urlencoded'))).rejects.toMatchObject({ status: 400 });
  });

  it('reads plain replies in a channel thread once it has answered there, and not before', async () => {
    const events = route('/webhooks/slack/events');
    const thread = slackTs();
    const replyInThread = () =>
      signed('/webhooks/slack/events', JSON.stringify(eventCallback(messageEvent({ channel: 'C0OPS00002', user: 'U0ANA00001', text: 'yes', thread_ts: thread }))), 'application/json');
    expect(await events.verifyAndParse(replyInThread())).toMatchObject({ kind: 'response' });
    await slack.send(reply({ conversation: 'C0OPS00002', thread }));
    expect(await events.verifyAndParse(replyInThread())).toMatchObject({ kind: 'messages', messages: [{ thread, text: 'yes' }] });
  });

  it('joins the thread a mention starts', async () => {
    const events = route('/webhooks/slack/events');
    const ts = slackTs();
    const mention = eventCallback(appMentionEvent({ channel: 'C0OPS00003', user: 'U0ANA00001', text: `<@${fake.botUserId}> my tasks`, ts }));
    expect(await events.verifyAndParse(signed('/webhooks/slack/events', JSON.stringify(mention), 'application/json'))).toMatchObject({
      kind: 'messages',
      messages: [{ messageId: ts, thread: ts, text: 'my tasks' }],
    });
    const followUp = eventCallback(messageEvent({ channel: 'C0OPS00003', user: 'U0BOB00001', text: 'and mine', thread_ts: ts }));
    expect(await events.verifyAndParse(signed('/webhooks/slack/events', JSON.stringify(followUp), 'application/json'))).toMatchObject({ kind: 'messages', messages: [{ thread: ts }] });
  });
});

describe('voice notes', () => {
  it("downloads url_private with the bot token, through the API's host", async () => {
    const bytes = Buffer.from('OggS\u0000fake-opus-bytes');
    fake.addFile({ id: 'F0VOICE001', name: 'audio_message.ogg', mimetype: 'audio/ogg', bytes });
    const media = await slack.fetchMedia({ kind: 'voice', fileRef: 'F0VOICE001' }, { maxBytes: 1024 });
    expect(media).toEqual({ bytes, declaredMimeType: 'audio/ogg' });
    expect(fake.downloads).toEqual([{ fileId: 'F0VOICE001', authorized: true }]);
  });

  it('refuses a file larger than allowed, an unknown file, and a sign-in page instead of a file', async () => {
    fake.addFile({ id: 'F0VOICE002', name: 'long.m4a', mimetype: 'audio/mp4', bytes: Buffer.alloc(4096) });
    await expect(slack.fetchMedia({ kind: 'voice', fileRef: 'F0VOICE002' }, { maxBytes: 1024 })).rejects.toMatchObject({ code: 'media_too_large' });
    await expect(slack.fetchMedia({ kind: 'voice', fileRef: 'F0MISSING1' }, { maxBytes: 1024 })).rejects.toMatchObject({ code: 'media_unavailable', message: /file_not_found/ });
    // Without the right token Slack answers 200 with its sign-in page: not a voice note.
    const client = new webApi.WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    const signIn = downloadSlackFile({ client, botToken: 'xoxb-0000-0000-NotTheBotToken', apiUrl: fake.url, attachment: { kind: 'voice', fileRef: 'F0VOICE002' }, maxBytes: 1 << 20 });
    await expect(signIn).rejects.toMatchObject({ code: 'media_unavailable', message: /web page/ });
    expect(fake.downloads.at(-1)).toEqual({ fileId: 'F0VOICE002', authorized: false });
  });

  it('never sends the bot token to a host that is not Slack', async () => {
    const client = { files: { info: async () => ({ ok: true, file: { id: 'F0EVIL0001', url_private: 'https://files.evil.example/steal' } }) } } as unknown as webApi.WebClient;
    const attempt = downloadSlackFile({ client, botToken: fake.botToken, apiUrl: undefined, attachment: { kind: 'voice', fileRef: 'F0EVIL0001' }, maxBytes: 1024 });
    await expect(attempt).rejects.toMatchObject({ code: 'media_unavailable', message: /not on slack\.com/ });
  });
});

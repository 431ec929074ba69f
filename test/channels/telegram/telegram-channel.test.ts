import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSendError, type ChannelDeps, type InboundMessage, type OutboundMessage, type TurnOutcome } from '../../../channels/index.js';
import { createTelegramChannel, TelegramMediaError, type TelegramChannel, type TelegramSettings } from '../../../channels/telegram/index.js';
import { ManualClock, SystemClock, type Clock } from '../../../core/clock.js';
import { BadRequestError, UnauthorizedError } from '../../../core/errors.js';
import { createLogger } from '../../../core/logger.js';
import { TelegramFake, type FakeUpdate } from '../../support/fakes/telegram/index.js';

/**
 * The adapter against the Telegram fake, without the service: grammY's real client talks HTTP to
 * the fake, so request building, error bodies and retries are the real ones.
 */

const SECRET = 'tg-webhook-secret_0123456789';
let fake: TelegramFake;
const channels: TelegramChannel[] = [];
const ana = TelegramFake.user(501, 'Ana', { last_name: 'Silva' });
const group = TelegramFake.group(-1001234567890, 'Ops');

beforeAll(async () => {
  fake = await new TelegramFake().start();
});
afterEach(async () => {
  for (const channel of channels.splice(0)) await channel.stop();
});
afterAll(async () => {
  await fake.stop();
});

function logs() {
  const stream = new PassThrough();
  const lines: { level: string; msg: string }[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: string; msg: string });
  });
  return { logger: createLogger({ level: 'debug', stream, secrets: [fake.token, SECRET] }), lines };
}

function channel(options: { mode?: 'webhook' | 'polling'; secret?: string | undefined; apiRoot?: string; clock?: Clock; publicUrl?: string; log?: ReturnType<typeof logs> } = {}) {
  const settings: TelegramSettings = {
    botToken: fake.token,
    webhookSecret: 'secret' in options ? options.secret : SECRET,
    apiRoot: options.apiRoot ?? fake.url,
    mode: options.mode ?? 'webhook',
  };
  const deps: ChannelDeps & { publicUrl?: string } = {
    logger: (options.log ?? logs()).logger,
    clock: options.clock ?? new SystemClock(),
    lastInboundAt: async () => undefined,
    recordDeliveryStatus: async () => false,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  };
  const created = createTelegramChannel(settings, deps, { pollTimeoutSeconds: 2 });
  channels.push(created);
  return created;
}

const noHandler = async (): Promise<TurnOutcome> => ({ status: 'answered', replies: [] });

let nextId = 0;
const outbound = (chat: number, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
  channel: 'telegram',
  conversation: String(chat),
  text,
  kind: 'reply',
  createdAt: 0,
  ...extra,
});

async function sendError(promise: Promise<unknown>): Promise<ChannelSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelSendError);
  return error as ChannelSendError;
}

function webhookRequest(body: string | FakeUpdate, secret: string | null = SECRET) {
  return {
    method: 'POST',
    path: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    query: {},
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

describe('sending', () => {
  it('sends HTML to the chat and returns the message id Telegram gave', async () => {
    const tg = channel();
    await tg.start(noHandler);
    const receipt = await tg.send(outbound(7001, 'Build #12 <failed> & rolled back', { buttons: [{ id: 'cancel', label: 'Cancel' }] }));
    const [sent] = fake.sentTo(7001);
    expect(sent).toMatchObject({ parse_mode: 'HTML', raw: 'Build #12 &lt;failed&gt; &amp; rolled back', text: 'Build #12 <failed> & rolled back' });
    expect(sent!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel' }]] });
    expect(receipt.platformMessageId).toBe(String(sent!.message_id));
  });

  it('429: a retryable error that carries retry_after; 500 and an unreachable API: retryable', async () => {
    const tg = channel();
    fake.rateLimit('sendMessage', 7);
    const limited = await sendError(tg.send(outbound(7002, 'hi')));
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7000, channel: 'telegram' });
    fake.serverError('sendMessage');
    expect(await sendError(tg.send(outbound(7002, 'hi')))).toMatchObject({ retryable: true, retryAfterMs: undefined });
    const offline = channel({ apiRoot: 'http://127.0.0.1:9' });
    expect(await sendError(offline.send(outbound(7002, 'hi')))).toMatchObject({ retryable: true });
    expect(fake.sentTo(7002)).toEqual([]);
  });

  it('403 (bot blocked) and 400 (chat not found) are not retried', async () => {
    const tg = channel();
    fake.blockChat(7003);
    const blocked = await sendError(tg.send(outbound(7003, 'hi')));
    expect(blocked).toMatchObject({ retryable: false });
    expect(blocked.message).toMatch(/bot was blocked by the user/);
    fake.failWith('sendMessage', 400, 'Bad Request: chat not found');
    expect(await sendError(tg.send(outbound(7004, 'hi')))).toMatchObject({ retryable: false });
  });

  it('splits a long message; a retry after a failure midway continues with the next part', async () => {
    const tg = channel();
    const paragraphs = Array.from({ length: 3 }, (_, i) => `Part ${i}: ${'lorem ipsum & dolor '.repeat(170).trim()}`);
    const message = outbound(7005, paragraphs.join('\n\n'), { buttons: [{ id: 'cancel', label: 'Cancel' }] });
    fake.pass('sendMessage', 1).rateLimit('sendMessage', 1);
    expect(await sendError(tg.send(message))).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    expect(fake.sentTo(7005).map((m) => m.text)).toEqual([paragraphs[0]]);
    // The pipeline's retry: the first part is not sent twice.
    const receipt = await tg.send(message);
    const sent = fake.sentTo(7005);
    expect(sent.map((m) => m.text)).toEqual(paragraphs);
    expect(sent.map((m) => m.reply_markup !== undefined)).toEqual([false, false, true]);
    expect(receipt.platformMessageId).toBe(String(sent[2]!.message_id));
  });

  it('never sends on a keep-alive connection idle longer than its bound, and a slow answer still arrives', async () => {
    // A Bot API that never closes idle connections itself and records, per call, how long the
    // connection it came on had been idle: a send on a long-idle connection is the one a real server
    // may be closing at that moment (a reset with an unknown outcome).
    const calls: { connection: number; idleMs: number }[] = [];
    let connections = 0;
    const server = createServer((req, res) => {
      const socket = req.socket as Socket & { connection?: number; idleSince?: number };
      calls.push({ connection: socket.connection!, idleMs: socket.idleSince === undefined ? 0 : Date.now() - socket.idleSince });
      req.resume();
      req.on('end', () => {
        const answer = () => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ ok: true, result: { message_id: calls.length, date: 0, chat: { id: 7101, type: 'private' }, text: 'x' } }));
          socket.idleSince = Date.now();
        };
        if (calls.length === 3) setTimeout(answer, 700);
        else answer();
      });
    });
    server.keepAliveTimeout = 0;
    server.on('connection', (socket: Socket & { connection?: number }) => (socket.connection = ++connections));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const settings: TelegramSettings = { botToken: fake.token, webhookSecret: SECRET, apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, mode: 'webhook' };
      const deps: ChannelDeps = { logger: logs().logger, clock: new SystemClock(), lastInboundAt: async () => undefined, recordDeliveryStatus: async () => false };
      const tg = createTelegramChannel(settings, deps, { keepAliveIdleMs: 250 });
      channels.push(tg);
      await tg.send(outbound(7101, 'one'));
      await tg.send(outbound(7101, 'two, at once: the same connection'));
      await new Promise((resolve) => setTimeout(resolve, 600));
      await tg.send(outbound(7101, 'three, after an idle pause longer than the bound; answered slowly'));
      expect(calls).toHaveLength(3);
      expect(calls[1]!.connection).toBe(calls[0]!.connection);
      expect(calls[2]!.connection).not.toBe(calls[0]!.connection);
      expect(Math.max(...calls.map((c) => c.idleMs))).toBeLessThan(250);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a message with no text without calling Telegram', async () => {
    const tg = channel();
    const calls = fake.callsTo('sendMessage').length;
    expect(await sendError(tg.send(outbound(7007, '   ')))).toMatchObject({ retryable: false });
    expect(fake.callsTo('sendMessage').length).toBe(calls);
  });
});

describe('voice notes', () => {
  it('getFile, then the file from /file/bot<token>/<path>, with the declared type', async () => {
    const tg = channel();
    const bytes = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(2000, 7)]);
    const file = fake.addFile(bytes, { path: 'voice/file_7.oga' });
    const media = await tg.fetchMedia({ kind: 'voice', fileRef: file.file_id, declaredMimeType: 'audio/ogg', declaredSizeBytes: bytes.length }, { maxBytes: 10_000 });
    expect(media.bytes.equals(bytes)).toBe(true);
    expect(media.declaredMimeType).toBe('audio/ogg');
    expect(fake.callsTo('getFile').at(-1)!.params).toEqual({ file_id: file.file_id });
    expect(fake.downloads).toContain('voice/file_7.oga');
  });

  it('respects maxBytes: from the declared size without a call, else from what getFile says', async () => {
    const tg = channel();
    const file = fake.addFile(Buffer.alloc(5000, 1), { path: 'voice/file_big.oga' });
    const calls = fake.callsTo('getFile').length;
    await expect(tg.fetchMedia({ kind: 'voice', fileRef: file.file_id, declaredSizeBytes: 5000 }, { maxBytes: 4000 })).rejects.toMatchObject({ reason: 'too_large' });
    expect(fake.callsTo('getFile').length).toBe(calls);
    await expect(tg.fetchMedia({ kind: 'audio', fileRef: file.file_id }, { maxBytes: 4000 })).rejects.toMatchObject({ reason: 'too_large' });
    expect(fake.downloads).not.toContain('voice/file_big.oga');
  });

  it('an unknown file id is not_found', async () => {
    const tg = channel();
    const error = await tg.fetchMedia({ kind: 'voice', fileRef: 'AwACAgIAAxkBAAI-unknown' }, { maxBytes: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramMediaError);
    expect(error).toMatchObject({ reason: 'not_found', code: 'telegram_media_failed' });
  });
});

describe('the webhook', () => {
  it('POST /webhooks/telegram, refused without the secret or with another one (401)', async () => {
    const tg = channel();
    const [route] = tg.webhooks();
    expect(route).toMatchObject({ method: 'POST', path: '/webhooks/telegram' });
    const update = fake.message({ chat: TelegramFake.privateChat(ana), from: ana, text: 'hello' });
    await expect(route!.verifyAndParse(webhookRequest(update, null))).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(route!.verifyAndParse(webhookRequest(update, `${SECRET}x`))).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(route!.verifyAndParse(webhookRequest(update, SECRET.slice(0, -1)))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('without a configured secret it refuses everything', async () => {
    const tg = channel({ secret: undefined });
    const update = fake.message({ chat: TelegramFake.privateChat(ana), from: ana, text: 'hello' });
    await expect(tg.webhooks()[0]!.verifyAndParse(webhookRequest(update, ''))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('a body that is not an Update is a 400', async () => {
    const [route] = channel().webhooks();
    await expect(route!.verifyAndParse(webhookRequest('{"update_id": 1, "message": '))).rejects.toBeInstanceOf(BadRequestError);
    await expect(route!.verifyAndParse(webhookRequest('{"hello": "world"}'))).rejects.toBeInstanceOf(BadRequestError);
  });

  it('hands over messages and acknowledges with 200; group chatter is acknowledged with nothing handed over', async () => {
    const tg = channel();
    await tg.start(noHandler);
    const [route] = tg.webhooks();
    const update = fake.message({ chat: TelegramFake.privateChat(ana), from: ana, text: 'hello' });
    const parsed = await route!.verifyAndParse(webhookRequest(update));
    expect(parsed).toMatchObject({ kind: 'messages', ack: { status: 200 }, messages: [{ text: 'hello', conversation: '501', user: { id: '501', displayName: 'Ana Silva' } }] });
    const chatter = await route!.verifyAndParse(webhookRequest(fake.message({ chat: group, from: ana, text: 'lunch at noon?' })));
    expect(chatter).toMatchObject({ kind: 'messages', messages: [], ack: { status: 200 } });
    const command = await route!.verifyAndParse(webhookRequest(fake.message({ chat: group, from: ana, text: `/help@${fake.username}` })));
    expect(command).toMatchObject({ messages: [{ text: '/help', conversation: String(group.id) }] });
  });

  it('answers a button click (answerCallbackQuery) and hands over the click', async () => {
    const tg = channel();
    await tg.start(noHandler);
    await tg.send(outbound(group.id, 'Type exactly: CONFIRM DELETE TASK 3', { buttons: [{ id: 'cancel', label: 'Cancel' }] }));
    const prompt = fake.sentTo(group.id).at(-1)!;
    const click = fake.callbackQuery({ from: ana, message: prompt, data: 'cancel' });
    const parsed = await tg.webhooks()[0]!.verifyAndParse(webhookRequest(click));
    expect(parsed).toMatchObject({ messages: [{ text: 'cancel', viaButton: true, replyTo: String(prompt.message_id) }] });
    const id = (click.callback_query as { id: string }).id;
    await fake.waitFor(() => fake.answeredCallbacks.includes(id), 5000, 'answerCallbackQuery');
  });

  it('on start, registers PUBLIC_URL/webhooks/telegram with the secret and the update kinds it reads', async () => {
    const tg = channel({ publicUrl: 'https://switchboard.example.com/' });
    await tg.start(noHandler);
    expect(fake.webhook).toEqual({ url: 'https://switchboard.example.com/webhooks/telegram', secret_token: SECRET, allowed_updates: ['message', 'edited_message', 'callback_query'] });
  });

  it('a failing setWebhook or getMe is logged, and the channel starts anyway', async () => {
    const log = logs();
    const clock = new ManualClock(Date.now());
    fake.serverError('getMe').serverError('setWebhook');
    const tg = channel({ publicUrl: 'https://switchboard.example.com', log, clock });
    await tg.start(noHandler);
    expect(log.lines.map((l) => l.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/getMe failed/), expect.stringMatching(/setWebhook failed/)]));
    expect(JSON.stringify(log.lines)).not.toContain(fake.token);
    // Without the username `/help@bot` cannot be matched; getMe is asked again a minute later.
    const command = () => webhookRequest(fake.message({ chat: group, from: ana, text: `/help@${fake.username}` }));
    expect(await tg.webhooks()[0]!.verifyAndParse(command())).toMatchObject({ messages: [] });
    await clock.advance(60_000);
    expect(await tg.webhooks()[0]!.verifyAndParse(command())).toMatchObject({ messages: [{ text: '/help' }] });
  });
});

describe('long polling', () => {
  it('deletes the webhook, then hands over queued updates in order and confirms them', async () => {
    const received: InboundMessage[] = [];
    const tg = channel({ mode: 'polling' });
    await tg.start(async (message) => {
      received.push(message);
      return { status: 'answered', replies: [] };
    });
    expect(fake.webhook).toBeUndefined();
    await fake.waitFor(() => fake.calls.at(-1)?.method === 'getUpdates', 5000, 'the first getUpdates');
    const calls = fake.calls.map((c) => c.method);
    expect(calls.lastIndexOf('deleteWebhook')).toBeLessThan(calls.lastIndexOf('getUpdates'));
    const chat = TelegramFake.privateChat(ana);
    fake.queueUpdate(fake.message({ chat, from: ana, text: 'first' }), fake.message({ chat: group, from: ana, text: 'chatter' }), fake.message({ chat, from: ana, text: 'second' }));
    await fake.waitFor(() => received.length >= 2 && fake.pendingUpdates === 0, 5000, 'the updates to be handled and confirmed');
    expect(received.map((m) => m.text)).toEqual(['first', 'second']);
    const last = fake.callsTo('getUpdates').at(-1)!;
    expect(last.params).toMatchObject({ timeout: 2, allowed_updates: ['message', 'edited_message', 'callback_query'] });
  });

  it('an update the bot could not take is fetched again after a pause, and stop() ends the loop at once', async () => {
    const clock = new ManualClock(Date.now());
    let attempts = 0;
    const tg = channel({ mode: 'polling', clock });
    await tg.start(async () => {
      attempts++;
      if (attempts === 1) throw new Error('the store is down');
      return { status: 'answered', replies: [] };
    });
    fake.queueUpdate(fake.message({ chat: TelegramFake.privateChat(ana), from: ana, text: 'try me' }));
    await fake.waitFor(() => attempts === 1, 5000, 'the first attempt');
    expect(fake.pendingUpdates).toBe(1);
    await clock.advance(1000);
    await fake.waitFor(() => attempts === 2 && fake.pendingUpdates === 0, 5000, 'the second attempt');
    // The loop is now inside a long poll; stop() aborts it.
    const started = Date.now();
    await tg.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a 409 conflict (webhook set elsewhere) backs off and polls again', async () => {
    const clock = new ManualClock(Date.now());
    const log = logs();
    const tg = channel({ mode: 'polling', clock, log });
    fake.failWith('getUpdates', 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const before = fake.callsTo('getUpdates').length;
    await tg.start(noHandler);
    await fake.waitFor(() => log.lines.some((l) => /conflict/.test(l.msg)), 5000, 'the conflict to be logged');
    await clock.advance(1000);
    await fake.waitFor(() => fake.callsTo('getUpdates').length >= before + 2, 5000, 'another getUpdates');
  });
});

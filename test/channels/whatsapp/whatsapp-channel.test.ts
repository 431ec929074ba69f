import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError, type ChannelDeps, type OutboundMessage, type ParsedRequest, type RawRequest } from '../../../channels/index.js';
import {
  createWhatsAppChannel,
  MediaTooLargeError,
  WhatsAppApiError,
  WhatsAppGraphClient,
  WhatsAppWindowClosedError,
  type WhatsAppChannel,
  type WhatsAppSettings,
} from '../../../channels/whatsapp/index.js';
import { ManualClock } from '../../../core/clock.js';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/logger.js';
import { FAKE_WHATSAPP, inbound, metaJson, SAMPLE_USER, signMetaPayload, statusNotification, WhatsAppGraphFake } from '../../support/fakes/whatsapp/index.js';
import { fixtureBytes } from './fixtures.js';

const HOUR = 3_600_000;
const WA_ID = SAMPLE_USER.waId;

let fake: WhatsAppGraphFake;
let clock: ManualClock;
let lastInbound: number | undefined;
let statuses: { id: string; status: string; detail?: Record<string, unknown> }[];
let knownWamids: Set<string>;

function deps(): ChannelDeps {
  return {
    logger: silentLogger(),
    clock,
    lastInboundAt: async () => lastInbound,
    recordDeliveryStatus: async (_channel, id, status, detail) => {
      statuses.push({ id, status, ...(detail ? { detail } : {}) });
      return knownWamids.has(id);
    },
  };
}

function settings(overrides: Partial<WhatsAppSettings> = {}): WhatsAppSettings {
  return {
    accessToken: FAKE_WHATSAPP.accessToken,
    appSecret: FAKE_WHATSAPP.appSecret,
    verifyToken: FAKE_WHATSAPP.verifyToken,
    phoneNumberId: FAKE_WHATSAPP.phoneNumberId,
    graphUrl: fake.url,
    apiVersion: 'v21.0',
    template: undefined,
    ...overrides,
  };
}

const TEMPLATE = { name: 'switchboard_update', language: 'en' };

function reply(text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id: `out-${Math.random().toString(36).slice(2)}`, channel: 'whatsapp', conversation: WA_ID, text, kind: 'reply', createdAt: clock.now(), ...extra };
}

function route(channel: WhatsAppChannel, method: 'GET' | 'POST') {
  const found = channel.webhooks().find((r) => r.method === method);
  if (!found || found.path !== '/webhooks/whatsapp') throw new Error(`no ${method} /webhooks/whatsapp`);
  return found;
}

function raw(body: string | Buffer, headers: Record<string, string> = {}, query: Record<string, string> = {}): RawRequest {
  return { method: 'POST', path: '/webhooks/whatsapp', headers, query, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

const signed = (body: string | Buffer) => raw(body, { 'x-hub-signature-256': signMetaPayload(body) });

beforeAll(async () => {
  fake = await new WhatsAppGraphFake().start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  lastInbound = clock.now() - HOUR;
  statuses = [];
  knownWamids = new Set();
  fake.sent.length = 0;
  fake.requests.length = 0;
  fake.rejected.length = 0;
  fake.mediaRequests.length = 0;
});

describe('creating the channel', () => {
  it('refuses to start without an App Secret: unsigned webhooks cannot be told from forged ones', () => {
    expect(() => createWhatsAppChannel(settings({ appSecret: '' }), deps())).toThrow(/cannot start without WHATSAPP_APP_SECRET/);
    expect(() => createWhatsAppChannel(settings({ verifyToken: '', phoneNumberId: '' }), deps())).toThrow(/WHATSAPP_VERIFY_TOKEN, WHATSAPP_PHONE_NUMBER_ID/);
    expect(createWhatsAppChannel(settings(), deps()).name).toBe('whatsapp');
  });
});

describe('the webhook', () => {
  it('answers the handshake with the challenge; a wrong token is 403, missing parameters 400', async () => {
    const get = route(createWhatsAppChannel(settings(), deps()), 'GET');
    const query = (q: Record<string, string>) => ({ ...raw(''), method: 'GET', query: q });
    expect(await get.verifyAndParse(query({ 'hub.mode': 'subscribe', 'hub.verify_token': FAKE_WHATSAPP.verifyToken, 'hub.challenge': '1158201444' }))).toEqual({
      kind: 'response',
      response: { status: 200, body: '1158201444', contentType: 'text/plain; charset=utf-8' },
    });
    await expect(get.verifyAndParse(query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(get.verifyAndParse(query({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }))).rejects.toBeInstanceOf(BadRequestError);
    await expect(get.verifyAndParse(query({ 'hub.mode': 'unsubscribe', 'hub.verify_token': FAKE_WHATSAPP.verifyToken, 'hub.challenge': '1' }))).rejects.toBeInstanceOf(BadRequestError);
    await expect(get.verifyAndParse(query({ 'hub.mode': 'subscribe', 'hub.verify_token': FAKE_WHATSAPP.verifyToken, 'hub.challenge': '<script>' }))).rejects.toBeInstanceOf(BadRequestError);
  });

  it('refuses a notification without a valid signature before reading it (401)', async () => {
    const post = route(createWhatsAppChannel(settings(), deps()), 'POST');
    const body = fixtureBytes('text-message');
    await expect(post.verifyAndParse(raw(body))).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(post.verifyAndParse(raw(body, { 'x-hub-signature-256': signMetaPayload(body, 'not-the-app-secret') }))).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(post.verifyAndParse(raw('not json', { 'x-hub-signature-256': 'sha256=00' }))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a signed body that is not JSON, or not a WhatsApp notification (400)', async () => {
    const post = route(createWhatsAppChannel(settings(), deps()), 'POST');
    await expect(post.verifyAndParse(signed('{"object":'))).rejects.toThrow(/not valid JSON/);
    await expect(post.verifyAndParse(signed('{"object":"page","entry":[]}'))).rejects.toBeInstanceOf(BadRequestError);
  });

  it('hands over the messages of a documented sample, with a 200 acknowledgement', async () => {
    const post = route(createWhatsAppChannel(settings(), deps()), 'POST');
    const parsed = await post.verifyAndParse(signed(fixtureBytes('text-message')));
    expect(parsed).toMatchObject({
      kind: 'messages',
      messages: [{ channel: 'whatsapp', conversation: WA_ID, user: { id: WA_ID, displayName: 'Sheena Nelson' }, text: 'Does it come in another color?', receivedAt: clock.now() }],
      ack: { status: 200 },
    });
  });

  it('records statuses with their errors and answers 200 without handing anything over', async () => {
    const post = route(createWhatsAppChannel(settings(), deps()), 'POST');
    knownWamids.add('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MUYxNEM0RTcwQzlDMjMyNjAA');
    const parsed = await post.verifyAndParse(signed(fixtureBytes('status-failed')));
    expect(parsed).toEqual<ParsedRequest>({ kind: 'response', response: { status: 200, body: 'EVENT_RECEIVED', contentType: 'text/plain; charset=utf-8' } });
    expect(statuses).toEqual([
      {
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MUYxNEM0RTcwQzlDMjMyNjAA',
        status: 'failed',
        detail: { errors: [expect.objectContaining({ code: 131026 })], platformTimestamp: expect.any(String) },
      },
    ]);
  });

  it('records again later a status that arrived before its send was recorded, and stops on stop()', async () => {
    const channel = createWhatsAppChannel(settings(), deps());
    const post = route(channel, 'POST');
    await post.verifyAndParse(signed(metaJson(statusNotification({ id: 'wamid.early', status: 'delivered', recipient: WA_ID }))));
    expect(statuses).toHaveLength(1);
    await clock.advance(1_000);
    expect(statuses).toHaveLength(2);
    knownWamids.add('wamid.early');
    await clock.advance(5_000);
    expect(statuses).toHaveLength(3);
    await clock.advance(60_000);
    expect(statuses).toHaveLength(3);

    await post.verifyAndParse(signed(metaJson(statusNotification({ id: 'wamid.never', status: 'read', recipient: WA_ID }))));
    await channel.stop();
    await clock.advance(60_000);
    expect(statuses.filter((s) => s.id === 'wamid.never')).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('leaves out notifications for another number of the same app', async () => {
    const post = route(createWhatsAppChannel(settings({ phoneNumberId: '999999' }), deps()), 'POST');
    expect((await post.verifyAndParse(signed(fixtureBytes('text-message')))).kind).toBe('response');
  });
});

describe('sending inside the 24-hour window', () => {
  it('posts a text message with the token and returns its wamid', async () => {
    const receipt = await createWhatsAppChannel(settings(), deps()).send(reply('Hello! **Welcome**.'));
    expect(fake.sent).toEqual([expect.objectContaining({ to: WA_ID, type: 'text', text: 'Hello! *Welcome*.' })]);
    expect(receipt).toEqual({ platformMessageId: fake.sent[0]!.wamid });
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_WHATSAPP.accessToken}`);
  });

  it('sends buttons as interactive reply buttons', async () => {
    await createWhatsAppChannel(settings(), deps()).send(reply('Type exactly:\nCONFIRM DELETE TASK 4', { buttons: [{ id: 'cancel', label: 'Cancel' }] }));
    expect(fake.sent[0]).toMatchObject({ type: 'interactive', text: 'Type exactly:\nCONFIRM DELETE TASK 4', buttons: [{ id: 'cancel', title: 'Cancel' }] });
  });

  it('sends a long reply in parts, and a retry after a failure sends only the parts still missing', async () => {
    const channel = createWhatsAppChannel(settings(), deps());
    const message = reply(Array.from({ length: 3 }, (_, i) => `Part ${i}\n${'x '.repeat(1500)}`).join('\n\n'));
    fake.accept(1).serverError(1);
    const failure = await channel.send(message).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChannelSendError);
    expect((failure as ChannelSendError).retryable).toBe(true);
    expect(fake.sent).toHaveLength(1);
    const receipt = await channel.send(message);
    expect(fake.sent.map((m) => m.text.slice(0, 6))).toEqual(['Part 0', 'Part 1', 'Part 2']);
    expect(receipt.platformMessageId).toBe(fake.sent[2]!.wamid);
  });
});

describe('the 24-hour window', () => {
  it('outside it, sends the approved template with the text as its parameter', async () => {
    lastInbound = clock.now() - 25 * HOUR;
    fake.approveTemplate(TEMPLATE.name, TEMPLATE.language);
    const receipt = await createWhatsAppChannel(settings({ template: TEMPLATE }), deps()).send(reply('Your site is live.\nReply to this message to continue.'));
    expect(fake.sent).toEqual([
      expect.objectContaining({ type: 'template', template: { name: TEMPLATE.name, language: 'en', parameters: ['Your site is live. Reply to this message to continue.'] } }),
    ]);
    expect(receipt.platformMessageId).toBe(fake.sent[0]!.wamid);
  });

  it('outside it without a template, fails for good with a clear reason; nothing is sent', async () => {
    lastInbound = clock.now() - 30 * HOUR;
    const error = await createWhatsAppChannel(settings(), deps()).send(reply('Your site is live.')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppWindowClosedError);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: false, reason: 'window_closed', channel: 'whatsapp' });
    expect((error as Error).message).toMatch(/24-hour customer-service window is closed \(the client last wrote 30 hours ago\) and no approved message template is configured/);
    expect(fake.requests).toHaveLength(0);
  });

  it('takes the time the client last wrote from the message when the outbox gave it, without asking the store', async () => {
    lastInbound = clock.now() - 30 * HOUR; // what the store would say: never asked
    await createWhatsAppChannel(settings(), deps()).send({ ...reply('Inside the window.'), lastInboundAt: clock.now() - HOUR });
    expect(fake.sent).toEqual([expect.objectContaining({ type: 'text' })]);
    const closed = await createWhatsAppChannel(settings(), deps()).send({ ...reply('Outside.'), lastInboundAt: clock.now() - 26 * HOUR }).catch((e: unknown) => e);
    expect((closed as Error).message).toMatch(/the client last wrote 26 hours ago/);
  });

  it('counts a client who never wrote as outside the window', async () => {
    lastInbound = undefined;
    await expect(createWhatsAppChannel(settings(), deps()).send(reply('hi'))).rejects.toThrow(/never written/);
  });

  it("takes Meta's 131047 as the window closing: the template instead, or the same clear failure", async () => {
    fake.approveTemplate(TEMPLATE.name, TEMPLATE.language).reEngagement(1);
    await createWhatsAppChannel(settings({ template: TEMPLATE }), deps()).send(reply('Done.'));
    expect(fake.sent.map((m) => m.type)).toEqual(['template']);
    fake.reEngagement(1);
    const error = await createWhatsAppChannel(settings(), deps()).send(reply('Done.')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppWindowClosedError);
    expect((error as Error).cause).toBeInstanceOf(WhatsAppApiError);
  });
});

describe('failures', () => {
  it('429 and rate-limit codes are retryable and carry Retry-After; 5xx too', async () => {
    const channel = createWhatsAppChannel(settings(), deps());
    fake.rateLimited(1, { retryAfterSeconds: 7 }).serverError(1);
    await expect(channel.send(reply('hi'))).rejects.toMatchObject({ retryable: true, retryAfterMs: 7_000, message: expect.stringMatching(/code 130429/) });
    await expect(channel.send(reply('hi'))).rejects.toMatchObject({ retryable: true });
  });

  it('other refusals are final: undeliverable, a wrong token, an invalid request', async () => {
    fake.undeliverable(1);
    await expect(createWhatsAppChannel(settings(), deps()).send(reply('hi'))).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/131026.*undeliverable/i) });
    await expect(createWhatsAppChannel(settings({ accessToken: 'EAAJB-revoked-token' }), deps()).send(reply('hi'))).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/HTTP 401, code 190/) });
    await expect(createWhatsAppChannel(settings({ phoneNumberId: '123' }), deps()).send(reply('hi'))).rejects.toMatchObject({ retryable: false });
  });

  it('a platform that cannot be reached is retryable', async () => {
    const error = await createWhatsAppChannel(settings({ graphUrl: 'http://127.0.0.1:9' }), deps()).send(reply('hi')).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/Could not reach the WhatsApp Cloud API/) });
  });
});

describe('fetchMedia', () => {
  it('does the two-step download and returns the bytes with the declared type', async () => {
    const bytes = Buffer.from('OggS\u0000\u0002 a voice note');
    fake.addMedia('1003383421387256', bytes, 'audio/ogg; codecs=opus');
    const channel = createWhatsAppChannel(settings(), deps());
    const fetched = await channel.fetchMedia({ kind: 'voice', fileRef: '1003383421387256', declaredMimeType: 'audio/ogg' }, { maxBytes: 1024 });
    expect(fetched).toEqual({ bytes, declaredMimeType: 'audio/ogg; codecs=opus' });
    expect(fake.mediaRequests.map((r) => r.step)).toEqual(['lookup', 'download']);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_WHATSAPP.accessToken}`)).toBe(true);
  });

  it('does not download a file larger than maxBytes', async () => {
    fake.addMedia('2', Buffer.alloc(5_000), 'audio/ogg');
    await expect(createWhatsAppChannel(settings(), deps()).fetchMedia({ kind: 'voice', fileRef: '2' }, { maxBytes: 4_999 })).rejects.toBeInstanceOf(MediaTooLargeError);
    expect(fake.mediaRequests.map((r) => r.step)).toEqual(['lookup']);
  });

  it('fails clearly for an unknown media id', async () => {
    await expect(createWhatsAppChannel(settings(), deps()).fetchMedia({ kind: 'voice', fileRef: '404404' }, { maxBytes: 10 })).rejects.toMatchObject({ details: { graphCode: 100, retryable: false } });
  });
});

describe('WhatsAppGraphClient.download', () => {
  let server: Server;
  let written = 0;
  let url: string;
  beforeAll(async () => {
    // A media host that streams without Content-Length and never stops on its own.
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/ogg' });
      const timer = setInterval(() => {
        written += 16_384;
        response.write(Buffer.alloc(16_384));
      }, 2);
      response.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/media`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    written = 0;
  });

  it('stops reading as soon as the stream passes maxBytes', async () => {
    const client = new WhatsAppGraphClient({ graphUrl: fake.url, apiVersion: 'v21.0', accessToken: 'token', phoneNumberId: '1', clock });
    await expect(client.download({ url }, 100_000)).rejects.toBeInstanceOf(MediaTooLargeError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = written;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBe(after);
    expect(written).toBeLessThan(2_000_000);
  });
});

describe('a whole notification from Meta', () => {
  it('turns an audio sample into a voice message ready for fetchMedia', async () => {
    const post = route(createWhatsAppChannel(settings(), deps()), 'POST');
    const parsed = await post.verifyAndParse(signed(metaJson(inbound.audio(SAMPLE_USER, { mediaId: '1146175783688373' }))));
    if (parsed.kind !== 'messages') throw new Error('expected messages');
    expect(parsed.messages[0]!.voice).toEqual({ kind: 'voice', fileRef: '1146175783688373', declaredMimeType: 'audio/ogg; codecs=opus' });
  });
});

describe('the access token', () => {
  it('is never sent in clear text to a media URL when the Graph API is spoken over https', async () => {
    const client = new WhatsAppGraphClient({ graphUrl: 'https://graph.facebook.com', apiVersion: 'v21.0', accessToken: 'token', phoneNumberId: '1', clock });
    await expect(client.download({ url: 'http://lookaside.example/whatsapp_business/attachments/?mid=1' }, 10)).rejects.toThrow(/plain HTTP/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_WHATSAPP, WhatsAppGraphFake } from '../../support/fakes/whatsapp/index.js';
import { fixture } from './fixtures.js';

/** The fake must refuse what the Cloud API refuses, or the channel's tests against it prove nothing. */

let fake: WhatsAppGraphFake;
beforeEach(async () => {
  fake = await new WhatsAppGraphFake().start();
});
afterEach(async () => {
  await fake.stop();
});

const MESSAGES = () => `${fake.url}/v21.0/${FAKE_WHATSAPP.phoneNumberId}/messages`;

async function post(body: unknown, options: { token?: string | null; url?: string } = {}) {
  const token = options.token === undefined ? FAKE_WHATSAPP.accessToken : options.token;
  const response = await fetch(options.url ?? MESSAGES(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any, headers: response.headers };
}

const text = (body: string, overrides: Record<string, unknown> = {}) => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234', type: 'text', text: { body }, ...overrides });
const buttons = (list: { id: string; title: string }[], body = 'Choose') => ({
  messaging_product: 'whatsapp',
  to: '16505551234',
  type: 'interactive',
  interactive: { type: 'button', body: { text: body }, action: { buttons: list.map((reply) => ({ type: 'reply', reply })) } },
});
const template = (parameter: string, name = 'switchboard_update', code = 'en') => ({
  messaging_product: 'whatsapp',
  to: '16505551234',
  type: 'template',
  template: { name, language: { code }, components: [{ type: 'body', parameters: [{ type: 'text', text: parameter }] }] },
});

describe('WhatsAppGraphFake: authentication', () => {
  it('answers 401 with a Graph error body for a missing or wrong token, everywhere', async () => {
    for (const token of [null, 'EAAJB-not-the-token']) {
      const answer = await post(text('hi'), { token });
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ error: { type: 'OAuthException', code: token === null ? 104 : 190, message: expect.any(String), fbtrace_id: expect.any(String) } });
    }
    fake.addMedia('1003383421387256', Buffer.from('OggS'), 'audio/ogg');
    expect((await fetch(`${fake.url}/v21.0/1003383421387256`)).status).toBe(401);
    expect((await fetch(`${fake.url}/whatsapp_business/attachments/?mid=1003383421387256`)).status).toBe(401);
    expect(fake.sent).toHaveLength(0);
    expect(fake.rejected.map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });
});

describe('WhatsAppGraphFake: the messages endpoint', () => {
  it('answers a text message like the API reference, and records it', async () => {
    const answer = await post(text('Hello!'));
    expect(answer.status).toBe(200);
    const documented = fixture('graph-send-response');
    expect(Object.keys(answer.json)).toEqual(Object.keys(documented));
    expect(answer.json.contacts).toEqual([{ input: '16505551234', wa_id: '16505551234' }]);
    expect(answer.json.messages[0].id).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(fake.sent).toEqual([expect.objectContaining({ wamid: answer.json.messages[0].id, to: '16505551234', type: 'text', text: 'Hello!' })]);
  });

  it.each([
    ['not JSON', '{"messaging_product":'],
    ['no messaging_product', { ...text('hi'), messaging_product: undefined }],
    ['another messaging_product', text('hi', { messaging_product: 'instagram' })],
    ['no recipient', text('hi', { to: undefined })],
    ['a recipient that is not a number', text('hi', { to: 'sheena' })],
    ['an unsupported type', text('hi', { type: 'sticker' })],
    ['a type without its object', text('hi', { type: 'interactive' })],
    ['an empty text', text('')],
    ['a text over 4096 characters', text('x'.repeat(4097))],
    ['an unknown field', text('hi', { confirmed: true })],
    ['four buttons', buttons([1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })))],
    ['no buttons', buttons([])],
    ['a button title over 20 characters', buttons([{ id: 'a', title: 'x'.repeat(21) }])],
    ['two buttons with the same title', buttons([{ id: 'a', title: 'Same' }, { id: 'b', title: 'Same' }])],
    ['two buttons with the same id', buttons([{ id: 'a', title: 'One' }, { id: 'a', title: 'Two' }])],
    ['an interactive body over 1024 characters', buttons([{ id: 'a', title: 'A' }], 'x'.repeat(1025))],
  ])('refuses %s with 400 code 100', async (_label, body) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 100, type: 'OAuthException' });
    expect(fake.sent).toHaveLength(0);
  });

  it('refuses an unknown phone number id and an unknown API version', async () => {
    const unknown = await post(text('hi'), { url: `${fake.url}/v21.0/999999/messages` });
    expect([unknown.status, unknown.json.error.code, unknown.json.error.error_subcode]).toEqual([400, 100, 33]);
    expect((await post(text('hi'), { url: `${fake.url}/latest/${FAKE_WHATSAPP.phoneNumberId}/messages` })).status).toBe(400);
  });
});

describe('WhatsAppGraphFake: templates', () => {
  it('sends an approved template with its parameter', async () => {
    fake.approveTemplate('switchboard_update', 'en');
    const answer = await post(template('Your site is live.'));
    expect(answer.status).toBe(200);
    expect(answer.json.messages[0].message_status).toBe('accepted');
    expect(fake.sent[0]).toMatchObject({ type: 'template', template: { name: 'switchboard_update', language: 'en', parameters: ['Your site is live.'] } });
  });

  it('refuses an unapproved template, a wrong parameter count, and parameters with new lines or runs of spaces', async () => {
    expect((await post(template('x'))).json.error.code).toBe(132001);
    fake.approveTemplate('switchboard_update', 'en', 2);
    expect((await post(template('x'))).json.error.code).toBe(132000);
    fake.approveTemplate('switchboard_update', 'en', 1);
    expect((await post(template('line one\nline two'))).json.error.code).toBe(132018);
    expect((await post(template('wide     gap'))).json.error.code).toBe(132018);
    expect(fake.sent).toHaveLength(0);
  });
});

describe('WhatsAppGraphFake: scripted failures', () => {
  it('answers the scripted errors in order, with Retry-After, then succeeds', async () => {
    fake.rateLimited(1, { retryAfterSeconds: 7 }).serverError(1).reEngagement(1).undeliverable(1);
    const limited = await post(text('hi'));
    expect([limited.status, limited.json.error.code, limited.headers.get('retry-after')]).toEqual([429, 130429, '7']);
    const server = await post(text('hi'));
    expect([server.status, server.json.error.code]).toEqual([500, 2]);
    const window = await post(text('hi'));
    expect([window.status, window.json.error.code]).toEqual([400, 131047]);
    expect(window.json.error.error_data.details).toMatch(/more than 24 hours/);
    expect((await post(text('hi'))).json.error.code).toBe(131026);
    expect((await post(text('hi'))).status).toBe(200);
    expect(fake.rejected).toHaveLength(0);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 500, 400, 400, 200]);
  });

  it('answers the error shape of the documentation', async () => {
    fake.rateLimited(1);
    const documented = fixture('graph-error-rate-limit');
    const answer = await post(text('hi'));
    expect(Object.keys(answer.json.error).sort()).toEqual(Object.keys(documented.error).filter((k) => k !== 'error_subcode').sort());
  });

  it('lets a template through a scripted re-engagement error: the template is the cure', async () => {
    fake.approveTemplate('switchboard_update', 'en').reEngagement(1);
    expect((await post(template('hello'))).status).toBe(200);
    expect(fake.pendingScript).toBe(1);
  });
});

describe('WhatsAppGraphFake: media', () => {
  it('looks up a media id, then serves its bytes at the URL it gave, with the token', async () => {
    const bytes = Buffer.from('OggS fake voice note');
    const { sha256 } = fake.addMedia('1003383421387256', bytes, 'audio/ogg; codecs=opus');
    const auth = { authorization: `Bearer ${FAKE_WHATSAPP.accessToken}` };
    const info = (await (await fetch(`${fake.url}/v21.0/1003383421387256?phone_number_id=${FAKE_WHATSAPP.phoneNumberId}`, { headers: auth })).json()) as any;
    expect(info).toEqual({ messaging_product: 'whatsapp', url: expect.stringContaining('/whatsapp_business/attachments/?mid=1003383421387256'), mime_type: 'audio/ogg; codecs=opus', sha256, file_size: bytes.length, id: '1003383421387256' });
    const download = await fetch(info.url, { headers: auth });
    expect(download.headers.get('content-type')).toBe('audio/ogg; codecs=opus');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect(fake.mediaRequests).toEqual([
      { step: 'lookup', mediaId: '1003383421387256' },
      { step: 'download', mediaId: '1003383421387256' },
    ]);
    const missing = await fetch(`${fake.url}/v21.0/555`, { headers: auth });
    expect([missing.status, ((await missing.json()) as any).error.error_subcode]).toEqual([400, 33]);
  });
});

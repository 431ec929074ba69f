import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHALLENGE, inbound, newWamid, SAMPLE_USER, signMetaPayload, statusNotification } from '../../support/fakes/whatsapp/index.js';
import { inboundRow, messageCount, turn, waitForTurn, type WhatsAppService, startWhatsAppService } from './whatsapp-service.js';

/** The service as Meta sees it: the webhook, the replies through the Graph API, statuses, media. */

let h: WhatsAppService;
beforeAll(async () => {
  h = await startWhatsAppService();
});
afterAll(async () => {
  await h?.close();
});

describe('WhatsApp Cloud API channel, end to end', () => {
  it("answers Meta's verification handshake: the challenge for the right token, 403 for a wrong one", async () => {
    expect(await h.meta.handshake()).toEqual({ status: 200, body: DEFAULT_CHALLENGE });
    const wrong = await h.meta.handshake({ token: 'not-the-verify-token' });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect((await h.meta.handshake({ challenge: undefined })).status).toBe(400);
  });

  it("answers a client's message through the Graph API; a staff-only request is refused in one sentence", async () => {
    const hello = await turn(h, inbound.text(SAMPLE_USER, 'hello'));
    expect(hello.sent).toEqual([expect.objectContaining({ to: SAMPLE_USER.waId, type: 'text', text: expect.stringMatching(/^Hello Sheena Nelson! I'm the agency's assistant\./) })]);
    expect(hello.replies.map((r) => r.status)).toEqual(['sent']);
    const person = await h.service.bot.people.findByIdentity('whatsapp', SAMPLE_USER.waId);
    expect(person).toMatchObject({ role: 'client', displayName: 'Sheena Nelson' });

    const deploy = await turn(h, inbound.text(SAMPLE_USER, 'deploy soarix-web to production'));
    // Clients are answered by bot/client: a refusal naming no roles, admins or internals.
    expect(deploy.sent.map((m) => m.text)).toEqual([expect.stringMatching(/^Sorry, that isn't something I can help with here\./)]);
  });

  it('refuses forged, unsigned and malformed notifications, and stores nothing', async () => {
    const before = await messageCount(h);
    const sentBefore = h.fake.sent.length;
    const payload = inbound.text({ waId: '16505550199', name: 'Mallory' }, 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION');

    expect((await h.meta.deliver(payload, { signature: null })).status).toBe(401);
    expect((await h.meta.deliver(payload, { appSecret: 'a-guessed-app-secret' })).status).toBe(401);
    expect((await h.meta.deliver(payload, { signature: signMetaPayload('{}') })).status).toBe(401);
    expect((await h.meta.deliver(payload, { signature: 'sha256=not-hex' })).status).toBe(401);
    const unsigned = await h.meta.deliver(null, { raw: '{"object":', signature: null });
    expect(unsigned.status).toBe(401);

    const notJson = await h.meta.deliver(null, { raw: '{"object":' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { code: 'bad_request', message: 'The body is not valid JSON.' } });
    expect((await h.meta.deliver({ object: 'page', entry: [{ id: '1', changes: [] }] })).status).toBe(400);
    expect((await h.meta.deliver([])).status).toBe(400);
    expect((await h.meta.deliver(null, { raw: 'x'.repeat(h.config.http.maxBodyBytes + 1) })).status).toBe(413);

    expect(await messageCount(h)).toBe(before);
    expect(h.fake.sent).toHaveLength(sentBefore);
    expect(await h.service.bot.people.findByIdentity('whatsapp', '16505550199')).toBeUndefined();
  });

  it('handles a message Meta delivers twice only once: one reply', async () => {
    const client = { waId: '447700900123', name: 'Olu' };
    const id = newWamid();
    const payload = inbound.text(client, 'hello', { id });
    expect((await h.meta.deliver(payload)).status).toBe(200);
    expect((await h.meta.deliver(payload)).status).toBe(200);
    await waitForTurn(h, id);
    expect((await h.meta.deliver(payload)).status).toBe(200);
    // A later message of the same conversation is handled after anything the duplicates started.
    await turn(h, inbound.text(client, 'hello again'));
    const inboundId = (await inboundRow(h, id))!.id;
    expect(await h.service.bot.messages.repliesTo(inboundId)).toHaveLength(1);
    expect(h.fake.sentTo(client.waId)).toHaveLength(2);
  });

  it('records delivery statuses on the message sent: delivered, then read; failed with its errors', async () => {
    const client = { waId: '5511987650001', name: 'Ana Souza' };
    const first = await turn(h, inbound.text(client, 'hi'));
    const wamid = first.sent[0]!.wamid;
    expect(first.replies[0]!.platformMessageId).toBe(wamid);

    expect((await h.meta.deliver(statusNotification({ id: wamid, status: 'delivered', recipient: client.waId }))).status).toBe(200);
    let row = await h.service.bot.messages.findOutbound(first.replies[0]!.id);
    expect(row).toMatchObject({ status: 'sent', payload: { deliveryStatus: { status: 'delivered' } } });
    await h.meta.deliver(statusNotification({ id: wamid, status: 'read', recipient: client.waId }));
    row = await h.service.bot.messages.findOutbound(first.replies[0]!.id);
    expect(row).toMatchObject({ status: 'sent', payload: { deliveryStatus: { status: 'read', platformTimestamp: expect.any(String) } } });

    const second = await turn(h, inbound.text(client, 'hello'));
    const failed = { code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } };
    await h.meta.deliver(statusNotification({ id: second.sent[0]!.wamid, status: 'failed', recipient: client.waId, errors: [failed] }));
    expect(await h.service.bot.messages.findOutbound(second.replies[0]!.id)).toMatchObject({
      status: 'failed',
      payload: { deliveryStatus: { status: 'failed', errors: [failed] } },
    });
    // A status callback is not a message: nothing was stored or answered for it.
    expect(h.fake.sentTo(client.waId)).toHaveLength(2);
  });

  it('takes a voice note and downloads it in the two documented steps', async () => {
    const client = { waId: '4915112345678', name: 'Jonas' };
    const bytes = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60, 1)]);
    h.fake.addMedia('1146175783688373', bytes, 'audio/ogg; codecs=opus');
    const note = await turn(h, inbound.audio(client, { mediaId: '1146175783688373' }));
    const voice = (note.inbound.payload as { inbound: { voice?: unknown } }).inbound.voice;
    expect(voice).toEqual({ kind: 'voice', fileRef: '1146175783688373', declaredMimeType: 'audio/ogg; codecs=opus' });

    // The running service's adapter, as the media step calls it.
    const channel = h.service.bot.channels.get('whatsapp')!;
    const fetched = await channel.fetchMedia!(voice as never, { maxBytes: 1_000_000 });
    expect(fetched).toEqual({ bytes, declaredMimeType: 'audio/ogg; codecs=opus' });
    const steps = h.fake.mediaRequests.filter((r) => r.mediaId === '1146175783688373').map((r) => r.step);
    expect(steps.slice(-2)).toEqual(['lookup', 'download']);
  });
});

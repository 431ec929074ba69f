import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../channels/index.js';
import { TelegramFake } from '../../support/fakes/telegram/index.js';
import { ANA, OPS, PUBLIC_URL, settle, startTelegramService, STRANGER, TELEGRAM_SECRET, type TelegramService } from './telegram-service.js';

/**
 * The whole service with the Telegram channel in webhook mode: updates are POSTed to
 * /webhooks/telegram as Telegram posts them, and grammY sends the replies to the Telegram fake.
 */

let t: TelegramService;
beforeAll(async () => {
  t = await startTelegramService({ publicUrl: true });
  await t.grant(ANA, 'developer');
});
afterAll(async () => {
  await t?.stop();
});

const anaChat = TelegramFake.privateChat(ANA);

describe('Telegram by webhook', () => {
  it('registers its webhook, answers a private message, a group command, and ignores group chatter', async () => {
    expect(t.fake.webhook).toEqual({
      url: `${PUBLIC_URL}/webhooks/telegram`,
      secret_token: TELEGRAM_SECRET,
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    });

    expect((await t.post(t.fake.message({ chat: anaChat, from: ANA, text: 'hello' }))).status).toBe(200);
    const [hello] = await t.fake.waitForSent(ANA.id);
    expect(hello!.text).toMatch(/^Hello/);
    expect(hello!.parse_mode).toBe('HTML');

    expect((await t.post(t.fake.message({ chat: OPS, from: ANA, text: 'lunch at noon, anyone?' }))).status).toBe(200);
    expect((await t.post(t.fake.message({ chat: OPS, from: ANA, text: `/help@${t.fake.username}` }))).status).toBe(200);
    const [help] = await t.fake.waitForSent(OPS.id);
    expect(help!.text).toMatch(/^Here is what you can ask me \(as developer\)/);
    await settle();
    expect(t.fake.sentTo(OPS.id)).toHaveLength(1);
    expect((await t.outbound(ANA.id)).map((row) => row.status)).toEqual(['sent']);
  });

  it('refuses a missing or wrong secret (401) and a malformed body (400), storing nothing', async () => {
    const rows = await t.messageRows();
    const update = t.fake.message({ chat: anaChat, from: ANA, text: 'remind me to steal the secret' });
    expect((await t.post(update, null)).status).toBe(401);
    expect((await t.post(update, 'not-the-secret')).status).toBe(401);
    expect((await t.post('{"update_id": 1, "message": {', TELEGRAM_SECRET)).status).toBe(400);
    const notAnUpdate = await t.post('{"update_id": 2, "message": {"text": "no chat"}}', TELEGRAM_SECRET);
    expect(notAnUpdate.status).toBe(400);
    expect(JSON.parse(notAnUpdate.body)).toMatchObject({ error: { code: 'bad_request' } });
    await settle();
    expect(await t.messageRows()).toBe(rows);
  });

  it('acts once on an update delivered twice', async () => {
    const update = t.fake.message({ chat: anaChat, from: ANA, text: 'remind me to water the plants' });
    const before = t.fake.sentTo(ANA.id).length;
    expect((await t.post(update)).status).toBe(200);
    expect((await t.post(update)).status).toBe(200);
    const sent = await t.fake.waitForSent(ANA.id, before + 1);
    await settle(600);
    expect(t.fake.sentTo(ANA.id)).toHaveLength(before + 1);
    expect(sent.at(-1)!.text).toMatch(/^Task #1 created: water the plants/);
    expect((await t.service.bot.tasks.findByNumber(1))?.title).toBe('water the plants');
    expect(await t.service.bot.tasks.findByNumber(2)).toBeUndefined();
  });

  it('gives a stranger who sends /start a pairing code', async () => {
    const chat = TelegramFake.privateChat(STRANGER);
    expect((await t.post(t.fake.message({ chat, from: STRANGER, text: '/start' }))).status).toBe(200);
    const [reply] = await t.fake.waitForSent(STRANGER.id);
    expect(reply!.text).toMatch(/pairing code [A-Z2-9]{8}/);
    expect(reply!.text).toMatch(/\/approve [A-Z2-9]{8} developer/);
  });

  it('takes a voice note: the pipeline stores its attachment, getFile and the download fetch it, and the bot answers', async () => {
    const ogg = Buffer.concat([Buffer.from('OggS\0\x02'), Buffer.alloc(3000, 0x4f)]);
    const file = t.fake.addFile(ogg, { path: 'voice/file_42.oga' });
    const before = t.fake.sentTo(ANA.id).length;
    const update = t.fake.voiceMessage({ chat: anaChat, from: ANA, file, duration: 4 });
    expect((await t.post(update)).status).toBe(200);
    await t.fake.waitForSent(ANA.id, before + 1);

    const { rows } = await t.service.stores.db.query<{ payload: { inbound: InboundMessage } }>(
      `SELECT payload FROM messages WHERE direction = 'in' AND platform_message_id = $1`,
      [String((update.message as { message_id: number }).message_id)],
    );
    const voice = rows[0]!.payload.inbound.voice!;
    expect(voice).toEqual({ kind: 'voice', fileRef: file.file_id, declaredMimeType: 'audio/ogg', declaredSizeBytes: ogg.length, durationSeconds: 4 });
    // The media step (transcription, another issue) fetches through the channel that received it.
    const telegram = t.service.bot.channels.get('telegram')!;
    const media = await telegram.fetchMedia!(voice, { maxBytes: 1024 * 1024 });
    expect(media.bytes.equals(ogg)).toBe(true);
    expect(t.fake.callsTo('getFile').at(-1)).toMatchObject({ params: { file_id: file.file_id }, status: 200 });
    expect(t.fake.downloads).toEqual(['voice/file_42.oga']);
  });

  it('retries a reply through 429 (retry_after 1) and 500 until it is sent, and splits a reply over 4096 characters', async () => {
    t.fake.rateLimit('sendMessage', 1).serverError('sendMessage', 1);
    const attempts = t.fake.callsTo('sendMessage').length;
    const before = t.fake.sentTo(ANA.id).length;
    const started = Date.now();
    await t.post(t.fake.message({ chat: anaChat, from: ANA, text: 'my tasks' }));
    const sent = await t.fake.waitForSent(ANA.id, before + 1, 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sent.at(-1)!.text).toMatch(/^You have 1 open task/);
    expect(t.fake.callsTo('sendMessage').slice(attempts).map((c) => c.status)).toEqual([429, 500, 200]);
    await expectEventually(async () => (await t.outbound(ANA.id)).at(-1)?.status === 'sent');

    // A long notification (a job's log, say) goes through the same delivery path.
    const conversation = (await t.service.bot.conversations.find('telegram', String(ANA.id)))!;
    const lines = Array.from({ length: 400 }, (_, i) => `Step ${i + 1}: <compile> & link module-${i} ok`);
    const stored = await t.service.bot.messages.recordNotification(conversation.id, { text: lines.join('\n'), kind: 'notification' });
    const count = t.fake.sentTo(ANA.id).length;
    expect(await t.service.bot.pipeline.deliver([t.service.bot.pipeline.toOutbound(stored, conversation)])).toBe(true);
    const parts = t.fake.sentTo(ANA.id).slice(count);
    const total = lines.join('\n').length;
    expect(total).toBeGreaterThan(3 * 4096);
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(total / 4096));
    expect(parts.length).toBeLessThanOrEqual(Math.ceil(total / 4096) + 1);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join('\n')).toBe(lines.join('\n'));
    // Cut between lines, never inside one: each part starts and ends with a whole step.
    for (const part of parts) expect(part.text).toMatch(/^Step \d+: <compile> & link module-\d+ ok(\nStep \d+: <compile> & link module-\d+ ok)*$/);
    const row = await t.service.bot.messages.findOutbound(stored.id);
    expect(row).toMatchObject({ status: 'sent', platformMessageId: String(parts.at(-1)!.message_id) });
  });
});

async function expectEventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

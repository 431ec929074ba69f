import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestAudio, durationOf, type TestAudio } from '../support/audio.js';
import { OpenAiFake } from '../support/fakes/openai/index.js';
import { TelegramFake } from '../support/fakes/telegram/index.js';
import { ANA, startTelegramService, type TelegramService } from '../channels/telegram/telegram-service.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { describeNeeding, itNeeding } from '../support/needs.js';

/** Every bad voice note gets a clear reply, and nothing is half-created: no task, no transcript. */

describeNeeding('espeak-ng', 'opusenc')('voice notes that cannot be used', () => {
  let audio: TestAudio;
  let openai: OpenAiFake;
  let t: TelegramService;
  const chat = TelegramFake.privateChat(ANA);
  let note = 0;

  beforeAll(async () => {
    audio = await createTestAudio();
    openai = await new OpenAiFake().start();
    t = await startTelegramService({
      understander: OfflineUnderstander.train(),
      env: {
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.url,
        MEDIA_MAX_BYTES: String(64 * 1024),
        MEDIA_MAX_SECONDS: '30',
        TRANSCRIBE_CHUNK_SECONDS: '10',
      },
    });
    await t.grant(ANA, 'developer');
  });
  afterAll(async () => {
    await t?.stop();
    await openai?.stop();
    await audio?.dispose();
  });

  /** Sends a voice note with these bytes; returns the bot's replies to it. */
  async function send(bytes: Buffer, options: { mimeType?: string; declaredSize?: number | null } = {}): Promise<string[]> {
    const before = t.fake.sentTo(ANA.id).length;
    const file = t.fake.addFile(bytes, { path: `voice/bad_${++note}.oga` });
    const update = t.fake.voiceMessage({ chat, from: ANA, file, duration: 3, ...(options.mimeType ? { mimeType: options.mimeType } : {}) });
    const voice = (update.message as { voice: { file_size?: number } }).voice;
    if (options.declaredSize === null) delete voice.file_size;
    else if (options.declaredSize !== undefined) voice.file_size = options.declaredSize;
    expect((await t.post(update)).status).toBe(200);
    const sent = await t.fake.waitForSent(ANA.id, before + 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return t.fake.sentTo(ANA.id).slice(before).map((m) => m.text);
  }

  async function nothingCreated(): Promise<void> {
    expect(await t.service.bot.tasks.listOpen()).toEqual([]);
    const { rows } = await t.service.stores.db.query(`SELECT 1 FROM messages WHERE transcript IS NOT NULL`);
    expect(rows).toEqual([]);
  }

  it('answers corrupt, empty, oversized and mislabelled notes clearly, and creates nothing', async () => {
    const requests = openai.requests.length;
    const wav = await audio.speak('remind me to water the plants tomorrow and call the bank on Friday');
    const ogg = await readFile(await audio.toOggOpus(wav));

    expect(await send(ogg.subarray(0, Math.floor(ogg.length / 2)))).toEqual([expect.stringMatching(/voice note|audio|cut short|damaged|corrupt/i)]);
    expect(await send(Buffer.alloc(0))).toEqual([expect.stringMatching(/empty/i)]);
    expect(await send(Buffer.alloc(200 * 1024, 7))).toEqual(['That voice note is 200 KB; the limit is 64 KB. Please send a shorter one or type your message.']);
    expect(await send(ogg, { declaredSize: 10 * 1024 * 1024 })).toEqual([expect.stringMatching(/^That voice note is 10\.0 MB; the limit is 64 KB/)]);
    // Not declared: downloaded up to the limit, then refused by the audio step.
    expect(await send(Buffer.alloc(200 * 1024, 7), { declaredSize: null })).toEqual([
      'That voice note is over the limit of 64 KB. Please send a shorter one or type your message.',
    ]);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(400, 1)]);
    expect(await send(png, { mimeType: 'audio/ogg' })).toEqual([expect.stringMatching(/not audio/i)]);
    await nothingCreated();
    expect(openai.requests.length).toBe(requests);
  });

  itNeeding('ffmpeg')('decodes a note by what it is, not by what it says it is', async () => {
    openai.respondWith(() => 'remind me to water the plants tomorrow');
    const wav = await audio.speak('remind me to water the plants tomorrow');
    const mp3 = await readFile(await audio.toMp3(wav));
    const replies = await send(mp3, { mimeType: 'audio/ogg' });
    expect(replies).toEqual(['I heard: “remind me to water the plants tomorrow”', expect.stringMatching(/^Created 1 task:\n• #\d+ water the plants/)]);
    await t.service.stores.db.query(`UPDATE tasks SET status = 'deleted'`);
    await t.service.stores.db.query(`UPDATE messages SET transcript = NULL`);
  });

  it('sends a note longer than the provider limit in chunks and joins what they say', async () => {
    const wav = await audio.speak(
      'remind me to renew the domain for the bakery tomorrow morning. and then remind me to send the monthly report to the client on Friday, ' +
        'and also remind me to book the meeting room for the design review next Monday at ten in the morning please',
    );
    const seconds = durationOf(new Uint8Array(await readFile(wav)));
    expect(seconds).toBeGreaterThan(10);
    const ogg = await readFile(await audio.toOggOpus(wav));
    const parts = ['remind me to renew the domain for the bakery tomorrow morning.', 'and then remind me to send the monthly report to the client on Friday,', 'and also remind me to book the meeting room for the design review next Monday at ten'];
    const before = openai.requests.length;
    openai.respondWith((request) => parts[openai.requests.indexOf(request) - before] ?? '');
    const replies = await send(ogg);
    const chunks = openai.requests.slice(before);
    expect(chunks.length).toBe(Math.ceil(seconds / 10));
    for (const chunk of chunks) expect(chunk.durationSeconds).toBeLessThanOrEqual(10);
    expect(Math.abs(chunks.reduce((sum, c) => sum + c.durationSeconds, 0) - seconds)).toBeLessThan(0.1);
    expect(replies[0]).toBe(`I heard: “${parts.slice(0, chunks.length).join(' ')}”`);
    expect(replies[1]).toMatch(/^Created \d tasks:/);
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAudio, durationOf, type TestAudio } from '../support/audio.js';
import { OpenAiFake } from '../support/fakes/openai/index.js';
import { inbound } from '../support/fakes/whatsapp/index.js';
import { TelegramFake } from '../support/fakes/telegram/index.js';
import { ANA, startTelegramService, type TelegramService } from '../channels/telegram/telegram-service.js';
import { startWhatsAppService, turn, type WhatsAppService } from '../channels/whatsapp/whatsapp-service.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { describeNeeding } from '../support/needs.js';

/**
 * A real voice note, end to end: speech synthesised with espeak-ng, encoded to OGG/Opus as phones send
 * it, delivered through the Telegram and WhatsApp fakes, fetched by the real adapters, decoded and
 * resampled in process, transcribed by a local fake of OpenAI's transcription endpoint (which checks
 * it received 16 kHz mono PCM of the note's duration), understood, and turned into dated tasks.
 */
const SPEECH = 'remind me to call John tomorrow at five and send Acme the proposal by Friday';

/** Tomorrow 17:00 and the coming Friday 09:00 (today if it is Friday), in UTC, computed here from the clock. */
function expectedDues(now = Date.now()): [number, number] {
  const today = new Date(now);
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const tomorrowFive = midnight + 86_400_000 + 17 * 3_600_000;
  const daysToFriday = (5 - today.getUTCDay() + 7) % 7;
  const friday = midnight + daysToFriday * 86_400_000 + 9 * 3_600_000;
  return [tomorrowFive, friday];
}

describeNeeding('espeak-ng', 'opusenc')('a voice note becomes tasks, end to end', () => {
  let audio: TestAudio;
  let ogg: Buffer;
  let seconds: number;
  let openai: OpenAiFake;
  const understander = OfflineUnderstander.train();

  beforeAll(async () => {
    audio = await createTestAudio();
    const wav = await audio.speak(SPEECH);
    seconds = durationOf(new Uint8Array(await readFile(wav)));
    ogg = await readFile(await audio.toOggOpus(wav));
    openai = await new OpenAiFake().start();
    openai.respondWith(() => SPEECH);
  });
  afterAll(async () => {
    await openai?.stop();
    await audio?.dispose();
  });

  describe('on Telegram', () => {
    let t: TelegramService;
    beforeAll(async () => {
      t = await startTelegramService({ understander, env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.url } });
      await t.grant(ANA, 'developer');
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('transcribes it, creates two dated tasks, lists them back, and undo removes them', async () => {
      const requestsBefore = openai.requests.length;
      const file = t.fake.addFile(ogg, { path: 'voice/file_7.oga' });
      const chat = TelegramFake.privateChat(ANA);
      expect((await t.post(t.fake.voiceMessage({ chat, from: ANA, file, duration: Math.round(seconds) }))).status).toBe(200);
      const sent = await t.fake.waitForSent(ANA.id, 2, 30_000);

      // What the transcription endpoint received: the note, as 16 kHz mono PCM, of its own duration.
      const request = openai.requests.at(-1)!;
      expect(openai.requests.length).toBe(requestsBefore + 1);
      expect(request).toMatchObject({ model: 'whisper-1', sampleRate: 16_000, channels: 1 });
      expect(Math.abs(request.durationSeconds - seconds)).toBeLessThan(0.1);
      expect(t.fake.downloads).toContain('voice/file_7.oga');

      expect(sent[0]!.text).toBe(`I heard: “${SPEECH}”`);
      expect(sent[1]!.text).toMatch(/^Created 2 tasks:\n• #\d+ call John — due .*17:00\n• #\d+ send Acme the proposal — due Fri .*09:00\nSay "undo" within 5 minutes/);
      expect(sent[1]!.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['undo']);

      const tasks = (await t.service.bot.tasks.listOpen()).sort((a, b) => a.number - b.number);
      expect(tasks.map((task) => [task.title, task.dueAt])).toEqual([
        ['call John', expectedDues()[0]],
        ['send Acme the proposal', expectedDues()[1]],
      ]);
      const stored = await t.service.stores.db.query<{ transcript: string }>(`SELECT transcript FROM messages WHERE direction = 'in' AND transcript IS NOT NULL`);
      expect(stored.rows).toEqual([{ transcript: SPEECH }]);

      // One tap on Undo.
      const undoButton = t.fake.callbackQuery({ from: ANA, message: sent[1]!, data: 'undo' });
      expect((await t.post(undoButton)).status).toBe(200);
      const [, , undone] = await t.fake.waitForSent(ANA.id, 3, 20_000);
      expect(undone!.text).toMatch(/^Undone: removed tasks #\d+, #\d+\.$/);
      expect(await t.service.bot.tasks.listOpen()).toEqual([]);
    });
  });

  describe('on WhatsApp', () => {
    let h: WhatsAppService;
    beforeAll(async () => {
      h = await startWhatsAppService({ understander, env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.url } });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('creates the tasks of a staff member’s note, and reminds them on WhatsApp when one falls due', async () => {
      const staff = { waId: '447700900456', name: 'Priya' };
      await h.service.bot.people.grant('whatsapp', staff.waId, 'developer');
      openai.respondWith(() => 'remind me to call the printer in two hours and email Sam the invoice in three hours');
      h.fake.addMedia('8841736652300912', ogg, 'audio/ogg; codecs=opus');
      const note = await turn(h, inbound.audio(staff, { mediaId: '8841736652300912', voice: true }));
      expect(note.sent.map((m) => m.text)).toEqual([
        'I heard: “remind me to call the printer in two hours and email Sam the invoice in three hours”',
        expect.stringMatching(/^Created 2 tasks:\n• #\d+ call the printer — due .*\n• #\d+ email Sam the invoice — due /),
      ]);
      expect(note.sent[1]!.buttons).toEqual([{ id: 'undo', title: 'Undo' }]);
      const steps = h.fake.mediaRequests.filter((r) => r.mediaId === '8841736652300912').map((r) => r.step);
      expect(steps).toEqual(['lookup', 'download']);

      // Two hours later the first reminder goes to the WhatsApp chat the note came from.
      h.clock.shift(2 * 3_600_000 + 1_000);
      h.service.bot.reminders.poke();
      const reminders = await h.fake.waitForSent(note.sent.length + 1, { to: staff.waId, timeoutMs: 20_000 });
      expect(reminders.at(-1)!.text).toMatch(/^⏰ Reminder: #\d+ call the printer/);
    });
  });
});

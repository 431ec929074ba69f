import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../core/index.js';
import {
  AudioTooLargeError,
  createTranscriber,
  NoTranscriber,
  NothingHeardError,
  NotAudioError,
  OpenAiTranscriber,
  ScriptedTranscriber,
  transcribeVoiceNote,
  TranscriptionNotConfiguredError,
} from '../../voice/index.js';
import { createTestAudio, durationOf, pcmWav, readBytes, type TestAudio } from '../support/audio.js';
import { OpenAiFake } from '../support/fakes/openai/index.js';
import { testConfig } from '../support/test-config.js';
import { isSkipped, itNeeding } from '../support/needs.js';

const limits = { maxBytes: 20 * 1024 * 1024, maxSeconds: 1200 };
const noSpeech = isSkipped('espeak-ng', 'opusenc');

let audio: TestAudio;
let fake: OpenAiFake;

beforeAll(async () => {
  audio = await createTestAudio();
});
afterAll(async () => {
  await audio.dispose();
});
beforeEach(async () => {
  fake = await new OpenAiFake().start();
});
afterEach(async () => {
  await fake.stop();
});

function openAi(): OpenAiTranscriber {
  return new OpenAiTranscriber({ apiKey: fake.apiKey, baseUrl: fake.url, model: 'whisper-1', chunkSeconds: 600, clock: new SystemClock() });
}

describe('transcribeVoiceNote', () => {
  itNeeding('espeak-ng', 'opusenc')('turns a WhatsApp-style OGG/Opus voice note into text, through the configured provider', async () => {
    const text = 'remind me to call John tomorrow at five and send Acme the proposal by Friday';
    const wavPath = await audio.speak(text);
    const ogg = await readBytes(await audio.toOggOpus(wavPath));
    fake.expect(` Remind me to call John tomorrow at five and\n send Acme the proposal by Friday. `);
    const heard = await transcribeVoiceNote(ogg, 'audio/ogg; codecs=opus', { limits, transcriber: openAi(), language: 'en' });
    expect(heard).toMatchObject({
      text: 'Remind me to call John tomorrow at five and send Acme the proposal by Friday.',
      format: 'ogg-opus',
      chunks: 1,
      provider: 'openai',
    });
    expect(Math.abs(heard.durationSeconds - durationOf(await readBytes(wavPath)))).toBeLessThan(0.05);
    expect(fake.requests[0]!.language).toBe('en');
  });

  it('reports silence as NothingHeardError without asking the provider', async () => {
    const silence = pcmWav(new Int16Array(16_000 * 2), 16_000);
    const error = await transcribeVoiceNote(silence, 'audio/wav', { limits, transcriber: openAi() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NothingHeardError);
    expect((error as NothingHeardError).code).toBe('nothing_heard');
    expect((error as Error).message).toMatch(/couldn't hear any words/);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([[''], ['   '], ['[BLANK_AUDIO]'], [' (silence) '], ['[Music] [Applause]']])('reports a transcript of only %j as NothingHeardError', async (text) => {
    const hum = pcmWav(new Int16Array(16_000).map((_, i) => Math.round(2000 * Math.sin(i / 5))), 16_000);
    fake.expect(text);
    const error = await transcribeVoiceNote(hum, undefined, { limits, transcriber: openAi() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NothingHeardError);
  });

  it('passes decoding errors through as they are, before any transcription', async () => {
    const scripted = new ScriptedTranscriber(['never used']);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    await expect(transcribeVoiceNote(png, 'audio/ogg', { limits, transcriber: scripted })).rejects.toBeInstanceOf(NotAudioError);
    await expect(transcribeVoiceNote(new Uint8Array(2048), 'audio/ogg', { limits: { ...limits, maxBytes: 1024 }, transcriber: scripted })).rejects.toBeInstanceOf(
      AudioTooLargeError,
    );
    expect(scripted.received).toHaveLength(0);
  });

  it('with no provider configured, says how to configure one', async () => {
    const tone = pcmWav(new Int16Array(16_000).map((_, i) => Math.round(2000 * Math.sin(i / 5))), 16_000);
    const error = await transcribeVoiceNote(tone, 'audio/wav', { limits, transcriber: new NoTranscriber() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptionNotConfiguredError);
    expect((error as TranscriptionNotConfiguredError).code).toBe('transcription_not_configured');
    expect((error as Error).message).toContain('TRANSCRIBER=openai');
    expect((error as Error).message).toContain('OPENAI_API_KEY');
    expect((error as Error).message).toContain('OPENAI_BASE_URL');
  });
});

describe('createTranscriber', () => {
  it('is off without configuration', () => {
    expect(createTranscriber(testConfig().voice.transcriber, { clock: new SystemClock() })).toBeInstanceOf(NoTranscriber);
  });

  it('builds the OpenAI-compatible transcriber from the settings and reaches the configured server', async () => {
    const config = testConfig({ TRANSCRIBER: 'openai', OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, OPENAI_TRANSCRIBE_MODEL: 'gpt-4o-mini-transcribe' });
    const transcriber = createTranscriber(config.voice.transcriber, { clock: new SystemClock() });
    expect(transcriber).toBeInstanceOf(OpenAiTranscriber);
    fake.expect('hello there');
    const tone = pcmWav(new Int16Array(16_000).map((_, i) => Math.round(2000 * Math.sin(i / 5))), 16_000);
    const heard = await transcribeVoiceNote(tone, 'audio/wav', { limits: config.voice, transcriber });
    expect(heard.text).toBe('hello there');
    expect(fake.requests[0]!.model).toBe('gpt-4o-mini-transcribe');
  });
});

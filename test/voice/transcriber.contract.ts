import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SwitchboardError } from '../../core/index.js';
import {
  AudioTooLargeError,
  AudioTooLongError,
  NothingHeardError,
  prepareAudio,
  transcribeVoiceNote,
  TranscriptionNotConfiguredError,
  UnsupportedAudioError,
  type PreparedAudio,
  type Transcriber,
} from '../../voice/index.js';
import { createTestAudio, durationOf, pcmWav, readBytes, type TestAudio } from '../support/audio.js';
import { describeNeeding } from '../support/needs.js';

const run = promisify(execFile);

/**
 * What every `Transcriber` promises (voice/transcriber.ts), with the voice step that feeds it
 * (`transcribeVoiceNote`), whichever implementation answers:
 * - for a real voice note (espeak-ng speech, OGG/Opus as WhatsApp and Telegram send it, or WAV) it
 *   returns the text heard, a positive whole number of chunks and its own `provider` name, also for a
 *   note longer than one request;
 * - audio it cannot use is refused with a typed error that tells the sender what to do, before any
 *   provider is asked: unsupported formats, files over MEDIA_MAX_BYTES, notes over MEDIA_MAX_SECONDS,
 *   silence;
 * - a transcriber that is switched off (`disabled`) refuses every note with TranscriptionNotConfiguredError,
 *   whose message says how to switch it on.
 *
 * @example
 * describeTranscriberContract('scripted', async () => ({ transcriber: new ScriptedTranscriber(() => SPOKEN), kind: 'transcribes', requests: () => 0, close: async () => {} }));
 */
export interface TranscriberUnderTest {
  transcriber: Transcriber;
  /** `transcribes`: answers with what was said (the provider behind it hears SPOKEN); `disabled`: transcription is off. */
  kind: 'transcribes' | 'disabled';
  /** Requests sent to the provider so far (0 for an implementation without one). */
  requests(): number;
  /** The longest audio one request carries, for an implementation that splits long notes. */
  chunkSeconds?: number;
  close(): Promise<void>;
}

/** What the test notes say; a provider behind a fake answers with this text. */
export const SPOKEN = 'Remind me to call John tomorrow at five and send Acme the proposal by Friday.';

const LIMITS = { maxBytes: 20 * 1024 * 1024, maxSeconds: 1200 };

export function describeTranscriberContract(name: string, open: () => Promise<TranscriberUnderTest>): void {
  describeNeeding('espeak-ng', 'opusenc', 'ffmpeg')(`Transcriber contract: ${name}`, () => {
    let subject: TestSubject;
    beforeAll(async () => {
      const audio = await createTestAudio();
      const wav = await audio.speak(SPOKEN);
      subject = { ...(await open()), audio, wav, ogg: await readBytes(await audio.toOggOpus(wav)) };
    }, 60_000);
    afterAll(async () => {
      await subject?.audio.dispose();
      await subject?.close();
    });

    it('turns a real OGG/Opus voice note into text, or says transcription is off', async () => {
      const heard = await outcome(() => transcribeVoiceNote(subject.ogg, 'audio/ogg; codecs=opus', { limits: LIMITS, transcriber: subject.transcriber, language: 'en' }));
      if (subject.kind === 'disabled') return expectNotConfigured(heard);
      expect(heard).toMatchObject({ text: SPOKEN, format: 'ogg-opus', provider: subject.transcriber.provider });
      expect(Number.isInteger((heard as { chunks: number }).chunks) && (heard as { chunks: number }).chunks >= 1).toBe(true);
      expect(Math.abs((heard as { durationSeconds: number }).durationSeconds - durationOf(await readBytes(subject.wav)))).toBeLessThan(0.05);
    });

    it('answers through the port itself with text, whole chunks and its provider name, for WAV too', async () => {
      const prepared = await prepareAudio(await readBytes(subject.wav), LIMITS);
      const result = await outcome(() => subject.transcriber.transcribe(prepared, { language: 'en' }));
      if (subject.kind === 'disabled') return expectNotConfigured(result);
      expect(result).toMatchObject({ provider: subject.transcriber.provider });
      const { text, chunks } = result as { text: string; chunks: number };
      expect(text.replace(/\s+/g, ' ').trim()).toBe(SPOKEN);
      expect(Number.isInteger(chunks) && chunks >= 1).toBe(true);
    });

    it('transcribes a note longer than one request whole', async () => {
      const long = await longNote(subject.audio, subject.wav);
      const result = await outcome(() => subject.transcriber.transcribe(long));
      if (subject.kind === 'disabled') return expectNotConfigured(result);
      const { text, chunks } = result as { text: string; chunks: number };
      expect(text).toContain(SPOKEN);
      expect(Number.isInteger(chunks) && chunks >= 1).toBe(true);
      if (subject.chunkSeconds) expect(chunks).toBeGreaterThanOrEqual(Math.ceil(long.durationSeconds / subject.chunkSeconds));
    }, 60_000);

    it('refuses unsupported, oversized, overlong and silent audio with a clear typed error, before any provider is asked', async () => {
      const before = subject.requests();
      const flac = await readBytes(await ffmpeg(subject.audio, subject.wav, 'flac', ['-c:a', 'flac']));
      const refusals: [string, () => Promise<unknown>, new (...args: never[]) => SwitchboardError, RegExp][] = [
        ['FLAC', () => note(subject, flac, LIMITS), UnsupportedAudioError, /^That audio is FLAC, which Switchboard cannot read; please send OGG\/Opus/],
        ['over MEDIA_MAX_BYTES', () => note(subject, subject.ogg, { ...LIMITS, maxBytes: 1_024 }), AudioTooLargeError, /^That voice note is \S+ \S+; the limit is 1(\.0)? KB\.$/],
        ['over MEDIA_MAX_SECONDS', () => note(subject, subject.ogg, { ...LIMITS, maxSeconds: 2 }), AudioTooLongError, /^That voice note is \d+ seconds long; the limit is 2 seconds\.$/],
        ['silence', () => note(subject, pcmWav(new Int16Array(16_000 * 3), 16_000), LIMITS), NothingHeardError, /couldn't hear any words/],
      ];
      for (const [what, attempt, type, message] of refusals) {
        const error = await attempt().then(
          () => new Error(`${what} was accepted`),
          (caught: unknown) => caught,
        );
        expect(error, what).toBeInstanceOf(type);
        expect((error as SwitchboardError).code, what).toMatch(/^[a-z][a-z_]*$/);
        expect((error as Error).message, what).toMatch(message);
      }
      expect(subject.requests()).toBe(before);
    });
  });
}

interface TestSubject extends TranscriberUnderTest {
  audio: TestAudio;
  wav: string;
  ogg: Uint8Array;
}

function note(subject: TestSubject, bytes: Uint8Array, limits: typeof LIMITS) {
  return transcribeVoiceNote(bytes, undefined, { limits, transcriber: subject.transcriber });
}

async function outcome<T>(attempt: () => Promise<T>): Promise<T | Error> {
  return attempt().catch((error: unknown) => error as Error);
}

function expectNotConfigured(result: unknown): void {
  expect(result).toBeInstanceOf(TranscriptionNotConfiguredError);
  expect((result as TranscriptionNotConfiguredError).code).toBe('transcription_not_configured');
  expect((result as TranscriptionNotConfiguredError).status).toBe(503);
  expect((result as Error).message).toMatch(/Set TRANSCRIBER=openai and OPENAI_API_KEY/);
}

/** The spoken sentence, then 25 s of quiet, then the sentence again: about 35 s, longer than a short chunk length. */
async function longNote(audio: TestAudio, wav: string): Promise<PreparedAudio> {
  const out = path.join(audio.dir, 'long.wav');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-f', 'lavfi', '-t', '25', '-i', 'anullsrc=r=22050:cl=mono', '-i', wav, '-filter_complex', '[0:a][1:a][2:a]concat=n=3:v=0:a=1', out]);
  return prepareAudio(await readBytes(out), LIMITS);
}

async function ffmpeg(audio: TestAudio, wav: string, extension: string, args: string[]): Promise<string> {
  const out = path.join(audio.dir, `speech.${extension}`);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, ...args, out]);
  return out;
}

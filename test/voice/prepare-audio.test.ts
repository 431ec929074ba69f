import { chmod, readdir } from 'node:fs/promises';
import { ManualClock } from '../../core/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AudioCorruptError,
  AudioDecodeTimeoutError,
  AudioEmptyError,
  AudioTooLargeError,
  AudioTooLongError,
  FfmpegMissingError,
  NotAudioError,
  prepareAudio,
  UnsupportedAudioError,
} from '../../voice/index.js';
import { createTestAudio, durationOf, pcmWav, readBytes, rms, type TestAudio } from '../support/audio.js';
import { describeNeeding, isSkipped, itNeeding } from '../support/needs.js';

const LIMITS = { maxBytes: 20 * 1024 * 1024, maxSeconds: 1200 };
const SENTENCE = 'Remind me to call John tomorrow at five and send Acme the proposal by Friday.';
/** The duration of what was decoded must match the spoken WAV's to within this. */
const TOLERANCE_SECONDS = 0.05;

const noSpeech = isSkipped('espeak-ng', 'opusenc');

let audio: TestAudio;
let wavPath: string;
let wav: Uint8Array;
let ogg: Uint8Array;

beforeAll(async () => {
  audio = await createTestAudio();
  if (noSpeech) return;
  wavPath = await audio.speak(SENTENCE);
  wav = await readBytes(wavPath);
  ogg = await readBytes(await audio.toOggOpus(wavPath));
});

afterAll(async () => {
  await audio.dispose();
});

describeNeeding('espeak-ng', 'opusenc')('prepareAudio: real speech', () => {
  it('decodes an OGG/Opus voice note (espeak-ng → opusenc) to 16 kHz mono of the same duration', async () => {
    const prepared = await prepareAudio(ogg, { ...LIMITS, declaredMimeType: 'audio/ogg; codecs=opus' });
    expect(prepared.format).toBe('ogg-opus');
    expect(prepared.sampleRate).toBe(16_000);
    expect(prepared.pcm).toBeInstanceOf(Int16Array);
    expect(prepared.pcm.length).toBe(Math.round(prepared.durationSeconds * 16_000));
    expect(Math.abs(prepared.durationSeconds - durationOf(wav))).toBeLessThan(TOLERANCE_SECONDS);
    // It is speech, not silence: a plausible level.
    expect(rms(prepared.pcm)).toBeGreaterThan(0.02);
  });

  it('reads a WAV directly (22.05 kHz from espeak-ng, resampled in process)', async () => {
    const prepared = await prepareAudio(wav, LIMITS);
    expect(prepared.format).toBe('wav');
    expect(Math.abs(prepared.durationSeconds - durationOf(wav))).toBeLessThan(TOLERANCE_SECONDS);
  });

  it('downmixes a stereo WAV to mono', async () => {
    const left = new Int16Array(16_000).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)));
    const interleaved = new Int16Array(32_000);
    for (let i = 0; i < 16_000; i++) {
      interleaved[2 * i] = left[i]!;
      interleaved[2 * i + 1] = left[i]!;
    }
    const prepared = await prepareAudio(pcmWav(interleaved, 16_000, 2), LIMITS);
    expect(prepared.durationSeconds).toBe(1);
    expect(Array.from(prepared.pcm.subarray(0, 200))).toEqual(Array.from(left.subarray(0, 200)));
  });
});

describeNeeding('espeak-ng', 'opusenc', 'ffmpeg')('prepareAudio: through ffmpeg', () => {
  it.each([
    ['M4A with its index at the end (decoded from a temporary file)', (p: string) => audio.toM4a(p), 'mp4'],
    ['M4A with its index first (decoded from stdin)', (p: string) => audio.toM4a(p, { faststart: true }), 'mp4'],
    ['WebM/Opus, as browsers record', (p: string) => audio.toWebm(p), 'webm'],
    ['MP3', (p: string) => audio.toMp3(p), 'mp3'],
  ] as const)('decodes %s', async (_label, encode, format) => {
    const bytes = await readBytes(await encode(wavPath));
    const before = await readdir(audio.dir);
    const prepared = await prepareAudio(bytes, { ...LIMITS, tmpDir: audio.dir });
    expect(prepared.format).toBe(format);
    expect(prepared.sampleRate).toBe(16_000);
    expect(Math.abs(prepared.durationSeconds - durationOf(wav))).toBeLessThan(TOLERANCE_SECONDS);
    expect(rms(prepared.pcm)).toBeGreaterThan(0.02);
    // Nothing half-done: no temporary file is left behind.
    expect(await readdir(audio.dir)).toEqual(before);
  });

  it('decodes an MP3 that was declared audio/ogg as the MP3 it is', async () => {
    const mp3 = await readBytes(await audio.toMp3(wavPath));
    const prepared = await prepareAudio(mp3, { ...LIMITS, declaredMimeType: 'audio/ogg' });
    expect(prepared.format).toBe('mp3');
    expect(Math.abs(prepared.durationSeconds - durationOf(wav))).toBeLessThan(TOLERANCE_SECONDS);
  });

  it('refuses an M4A cut short as corrupt, before running ffmpeg', async () => {
    const m4a = await readBytes(await audio.toM4a(wavPath, { faststart: true }));
    const cut = m4a.subarray(0, Math.floor(m4a.length * 0.6));
    const error = await prepareAudio(cut, { ...LIMITS, ffmpegPath: '/nonexistent/ffmpeg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioCorruptError);
    expect((error as AudioCorruptError).message).toMatch(/M4A\/MP4 file is damaged or incomplete .*cut short/);
  });

  it('refuses an MP3 whose frames are garbage after a valid start, with ffmpeg\'s reason', async () => {
    const garbage = new Uint8Array(20_000);
    garbage.set([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0]); // an empty ID3v2.4 tag, then noise
    for (let i = 10; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    const error = await prepareAudio(garbage, LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioCorruptError);
    expect((error as AudioCorruptError).detail).toMatch(/^ffmpeg: input: /);
  });
});

describe('prepareAudio: ffmpeg missing', () => {
  it('says ffmpeg is needed for M4A/WebM/MP3 and how to install it', async () => {
    // A minimal MP3 frame header pair is enough to be sniffed as MP3.
    const mp3 = fakeMp3Frames();
    const error = await prepareAudio(mp3, { ...LIMITS, ffmpegPath: '/nonexistent/bin/ffmpeg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegMissingError);
    const missing = error as FfmpegMissingError;
    expect(missing.code).toBe('ffmpeg_missing');
    expect(missing.name).toBe('FfmpegMissingError');
    expect(missing.message).toContain('need ffmpeg');
    expect(missing.message).toContain('apt-get install ffmpeg');
    expect(missing.message).toContain('OGG/Opus (WhatsApp, Telegram) and WAV notes work without it');
  });

  itNeeding('espeak-ng', 'opusenc')('still decodes OGG/Opus and WAV without ffmpeg', async () => {
    for (const bytes of [ogg, wav]) {
      const prepared = await prepareAudio(bytes, { ...LIMITS, ffmpegPath: '/nonexistent/bin/ffmpeg' });
      expect(prepared.durationSeconds).toBeGreaterThan(1);
    }
  });
});

describe('prepareAudio: an ffmpeg that never finishes', () => {
  it('is killed at its time limit (on the injected clock) with a typed error', async () => {
    // A stand-in for a wedged ffmpeg: `exec` so the process killed is the one sleeping.
    const stuck = await audio.write('stuck-ffmpeg.sh', new TextEncoder().encode('#!/bin/sh\nexec sleep 30\n'));
    await chmod(stuck, 0o755);
    const clock = new ManualClock();
    const work = prepareAudio(fakeMp3Frames(), { ...LIMITS, ffmpegPath: stuck, ffmpegTimeoutMs: 5_000, clock }).catch((e: unknown) => e);
    for (let waited = 0; clock.pendingTimers() === 0 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(clock.pendingTimers()).toBe(1); // ffmpeg's time limit, armed once it was started
    const started = Date.now();
    await clock.advance(5_000);
    const error = await work;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(AudioDecodeTimeoutError);
    expect((error as AudioDecodeTimeoutError).code).toBe('audio_decode_timeout');
    expect((error as Error).message).toContain('more than 5 s');
  });
});

describe('prepareAudio: bad input, each refused with a clear error', () => {
  it('refuses a zero-length file', async () => {
    const error = await prepareAudio(new Uint8Array(0), LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioEmptyError);
    expect((error as AudioEmptyError).code).toBe('audio_empty');
    expect((error as Error).message).toMatch(/empty/);
  });

  it('refuses an oversized file before looking at its content', async () => {
    // Garbage that would be "not audio", and an MP3 that would need a missing ffmpeg: size wins first.
    const big = new Uint8Array(31 * 1024 * 1024);
    const error = await prepareAudio(big, LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooLargeError);
    expect((error as Error).message).toBe('That voice note is 31 MB; the limit is 20 MB.');
    const mp3 = fakeMp3Frames(4096);
    const tooBigMp3 = await prepareAudio(mp3, { ...LIMITS, maxBytes: 1024, ffmpegPath: '/nonexistent/ffmpeg' }).catch((e: unknown) => e);
    expect(tooBigMp3).toBeInstanceOf(AudioTooLargeError);
    expect((tooBigMp3 as AudioTooLargeError).code).toBe('audio_too_large');
  });

  it('refuses random bytes as not audio', async () => {
    const random = new Uint8Array(50_000);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2_654_435_761) >>> 24;
    const error = await prepareAudio(random, { ...LIMITS, declaredMimeType: 'audio/ogg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAudioError);
    expect((error as NotAudioError).code).toBe('not_audio');
    expect((error as Error).message).toContain('it was sent as audio/ogg');
  });

  it('refuses a PNG declared audio/ogg as not audio, naming what it is', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    const error = await prepareAudio(png, { ...LIMITS, declaredMimeType: 'audio/ogg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAudioError);
    expect((error as Error).message).toBe('That file is a PNG image, not audio (it was sent as audio/ogg); please send a voice note.');
  });

  it('refuses an HTML error page served as audio/mpeg', async () => {
    const html = new TextEncoder().encode('<!DOCTYPE html><html><body>403 Forbidden</body></html>');
    const error = await prepareAudio(html, { ...LIMITS, declaredMimeType: 'audio/mpeg' }).catch((e: unknown) => e);
    expect((error as NotAudioError).looksLike).toBe('a web page (HTML)');
  });

  itNeeding('espeak-ng', 'opusenc')('refuses a truncated OGG as corrupt instead of half-decoding it', async () => {
    const truncated = ogg.subarray(0, Math.floor(ogg.length / 2));
    const error = await prepareAudio(truncated, LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioCorruptError);
    expect((error as AudioCorruptError).code).toBe('audio_corrupt');
    expect((error as Error).message).toMatch(/OGG\/Opus file is damaged or incomplete \(the file ends in the middle of an Ogg page .*cut short\)/);
  });

  itNeeding('espeak-ng', 'opusenc')('refuses garbage after a valid OGG header as corrupt', async () => {
    const firstPageLength = 27 + ogg[26]! + Array.from(ogg.subarray(27, 27 + ogg[26]!)).reduce((a, b) => a + b, 0);
    const damaged = new Uint8Array(ogg.length);
    damaged.set(ogg.subarray(0, firstPageLength));
    for (let i = firstPageLength; i < damaged.length; i++) damaged[i] = (i * 48_271) % 256;
    const error = await prepareAudio(damaged, LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioCorruptError);
    expect((error as AudioCorruptError).detail).toMatch(/where the next Ogg page should start/);
  });

  itNeeding('espeak-ng', 'opusenc')('refuses an OGG with a flipped bit inside its audio (page checksum)', async () => {
    const flipped = ogg.slice();
    flipped[flipped.length - 100]! ^= 0x10;
    const error = await prepareAudio(flipped, LIMITS).catch((e: unknown) => e);
    expect((error as AudioCorruptError).detail).toMatch(/fails its checksum/);
  });

  itNeeding('espeak-ng', 'opusenc')('refuses a note longer than maxSeconds, from the OGG granule position before decoding', async () => {
    const error = await prepareAudio(ogg, { ...LIMITS, maxSeconds: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooLongError);
    expect((error as AudioTooLongError).code).toBe('audio_too_long');
    expect((error as Error).message).toMatch(/^That voice note is 5 seconds long; the limit is 2 seconds\.$/);
  });

  itNeeding('espeak-ng', 'opusenc')('refuses a WAV longer than maxSeconds', async () => {
    const error = await prepareAudio(wav, { ...LIMITS, maxSeconds: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooLongError);
  });

  itNeeding('espeak-ng', 'opusenc', 'ffmpeg')('refuses a long MP3 (no duration in the container) after decoding stops at the limit', async () => {
    const mp3 = await readBytes(await audio.toMp3(wavPath));
    const error = await prepareAudio(mp3, { ...LIMITS, maxSeconds: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooLongError);
    expect((error as AudioTooLongError).atLeast).toBe(true);
    expect((error as Error).message).toBe('That voice note is longer than 2 seconds, the limit; please send a shorter one.');
  });

  it('refuses audio it cannot read with the format named', async () => {
    const flac = new TextEncoder().encode('fLaC\0\0\0\x22');
    const error = await prepareAudio(flac, LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedAudioError);
    expect((error as Error).message).toContain('That audio is FLAC');
  });

  it('refuses a WAV whose data chunk is cut short', async () => {
    const full = pcmWav(new Int16Array(16_000), 16_000);
    const error = await prepareAudio(full.subarray(0, 10_000), LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioCorruptError);
    expect((error as AudioCorruptError).detail).toMatch(/cut short/);
  });

  it('refuses a WAV with no samples as having no sound', async () => {
    const error = await prepareAudio(pcmWav(new Int16Array(0), 16_000), LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioEmptyError);
  });
});

/** Two valid MPEG-1 Layer III frame headers (128 kbit/s, 44.1 kHz: 417 bytes each) with zero payload. */
function fakeMp3Frames(count = 2): Uint8Array {
  const frame = 417;
  const out = new Uint8Array(frame * count);
  for (let i = 0; i < count; i++) out.set([0xff, 0xfb, 0x90, 0x64], i * frame);
  return out;
}

import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { AudioEmptyError, AudioTooLargeError, AudioTooLongError, NotAudioError, UnsupportedAudioError } from './audio-errors.js';
import { decodeOggOpus } from './decode-ogg-opus.js';
import { decodeWithFfmpeg } from './decode-with-ffmpeg.js';
import { inspectMp4 } from './inspect-mp4.js';
import { inspectOggOpus } from './inspect-ogg-opus.js';
import { parseWav, readWavHeader } from './parse-wav.js';
import { concatInt16, downmixToMono, floatToInt16 } from './pcm-samples.js';
import { Resampler } from './resampler.js';
import { type AudioFormat, sniffAudioFormat } from './sniff-audio-format.js';

/** The sample rate every transcriber receives: what Whisper models work at. */
export const TARGET_SAMPLE_RATE = 16_000;

/** A voice note decoded to what a speech model wants: 16 kHz, mono, 16-bit. */
export interface PreparedAudio {
  /** What the bytes turned out to be (sniffed, not declared). */
  format: AudioFormat;
  /** 16 kHz mono signed 16-bit samples. */
  pcm: Int16Array;
  sampleRate: typeof TARGET_SAMPLE_RATE;
  durationSeconds: number;
}

export const PrepareAudioOptionsSchema = z.object({
  /** The type the platform declared; only used to word a refusal, never to choose a decoder. */
  declaredMimeType: z.string().optional(),
  /** Files larger than this are refused before anything is decoded (MEDIA_MAX_BYTES). */
  maxBytes: z.number().int().positive(),
  /** Notes longer than this are refused (MEDIA_MAX_SECONDS). */
  maxSeconds: z.number().positive(),
  /** The ffmpeg executable for M4A/MP4, WebM and MP3 (default: `ffmpeg` on PATH). */
  ffmpegPath: z.string().min(1).optional(),
  /** Time limit for one ffmpeg run (default 120 s). */
  ffmpegTimeoutMs: z.number().int().positive().optional(),
  /** Where an M4A whose index is at its end is written for ffmpeg (default: the system temp folder). */
  tmpDir: z.string().min(1).optional(),
});
export type PrepareAudioOptions = z.input<typeof PrepareAudioOptionsSchema> & {
  /** Times the ffmpeg run (default: the system clock). */
  clock?: Clock;
};

/** Container durations are rounded by some encoders: refuse early only when clearly over. */
const METADATA_SLACK_SECONDS = 0.5;

/**
 * Turns the bytes of a voice note into 16 kHz mono PCM, whatever the platform said they were:
 * 1. the size limit (before anything else) and zero length;
 * 2. sniffing the bytes (`OggS`+`OpusHead`, `ftyp`, EBML, `ID3`/MPEG frame sync, `RIFF…WAVE`);
 * 3. the duration limit from the container when it states one (OGG granule, WAV header, MP4 `mvhd`);
 * 4. decoding: OGG/Opus in process (WASM libopus), WAV directly, M4A/WebM/MP3 through ffmpeg;
 * 5. downmix to mono and a windowed-sinc resample to 16 kHz; the duration limit on what was decoded.
 * Every refusal is a typed error (`audio_too_large`, `audio_empty`, `not_audio`, `audio_unsupported`,
 * `audio_corrupt`, `audio_too_long`, `ffmpeg_missing`, `audio_decode_timeout`) whose message can be
 * shown to the sender.
 *
 * @example
 * const audio = await prepareAudio(bytes, { declaredMimeType: 'audio/ogg', maxBytes: 20 * 1024 * 1024, maxSeconds: 1200 });
 * audio.durationSeconds; // 4.54
 */
export async function prepareAudio(bytes: Uint8Array, options: PrepareAudioOptions): Promise<PreparedAudio> {
  const { clock } = options;
  const { declaredMimeType, maxBytes, maxSeconds, ffmpegPath, ffmpegTimeoutMs, tmpDir } = PrepareAudioOptionsSchema.parse(options);
  if (bytes.length > maxBytes) throw new AudioTooLargeError(bytes.length, maxBytes);
  if (bytes.length === 0) throw new AudioEmptyError();

  const sniffed = sniffAudioFormat(bytes);
  if (sniffed.kind === 'not-audio') throw new NotAudioError(sniffed.looksLike, declaredMimeType);
  if (sniffed.kind === 'unsupported') throw new UnsupportedAudioError(sniffed.what);
  const format = sniffed.format;
  const refuseIfLonger = (seconds: number | undefined) => {
    if (seconds !== undefined && seconds > maxSeconds + METADATA_SLACK_SECONDS) throw new AudioTooLongError(seconds, maxSeconds);
  };
  const ffmpeg = { maxSeconds, ffmpegPath, timeoutMs: ffmpegTimeoutMs, clock, tmpDir };

  let pcm: Int16Array;
  let cutAtLimit = false;
  switch (format) {
    case 'ogg-opus': {
      const info = inspectOggOpus(bytes);
      refuseIfLonger(info.durationSeconds);
      ({ pcm, cutAtLimit } = await decodeOggOpus(bytes, { sampleRate: TARGET_SAMPLE_RATE, maxSeconds, info }));
      break;
    }
    case 'wav': {
      refuseIfLonger(readWavHeader(bytes).durationSeconds);
      const wav = parseWav(bytes);
      pcm = await toTargetRate(downmixToMono(wav.channels), wav.sampleRate);
      break;
    }
    case 'mp4': {
      const info = inspectMp4(bytes);
      refuseIfLonger(info.durationSeconds);
      ({ pcm, cutAtLimit } = await decodeWithFfmpeg(bytes, { ...ffmpeg, format, viaTempFile: info.indexAtEnd }));
      break;
    }
    case 'webm':
    case 'mp3':
      ({ pcm, cutAtLimit } = await decodeWithFfmpeg(bytes, { ...ffmpeg, format }));
      break;
  }

  const durationSeconds = pcm.length / TARGET_SAMPLE_RATE;
  if (cutAtLimit || durationSeconds > maxSeconds) throw new AudioTooLongError(durationSeconds, maxSeconds, cutAtLimit);
  if (pcm.length === 0) throw new AudioEmptyError('That voice note has no sound in it (nothing could be decoded); please record it again.');
  return { format, pcm, sampleRate: TARGET_SAMPLE_RATE, durationSeconds };
}

/** Resamples in one-second slices, letting other work run between them (a 3-minute 48 kHz WAV is ~1 s of CPU). */
async function toTargetRate(samples: Float32Array, sampleRate: number): Promise<Int16Array> {
  if (sampleRate === TARGET_SAMPLE_RATE) return floatToInt16(samples);
  const resampler = new Resampler(sampleRate, TARGET_SAMPLE_RATE);
  const blocks: Int16Array[] = [];
  for (let start = 0; start < samples.length; start += sampleRate) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    blocks.push(floatToInt16(resampler.process(samples.subarray(start, start + sampleRate))));
  }
  blocks.push(floatToInt16(resampler.flush()));
  return concatInt16(blocks);
}

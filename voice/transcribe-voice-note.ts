import type { Clock } from '../core/clock.js';
import { type PreparedAudio, prepareAudio } from './prepare-audio.js';
import type { AudioFormat } from './sniff-audio-format.js';
import type { Transcriber } from './transcriber.js';
import { NothingHeardError } from './transcription-errors.js';

export interface VoiceNoteLimits {
  /** MEDIA_MAX_BYTES */
  maxBytes: number;
  /** MEDIA_MAX_SECONDS */
  maxSeconds: number;
}

export interface TranscribeVoiceNoteOptions {
  limits: VoiceNoteLimits;
  transcriber: Transcriber;
  /** ISO-639-1 language of the speaker, when known. */
  language?: string;
  /** Passed to prepareAudio: the ffmpeg executable, its time limit, its clock, its temp folder. */
  ffmpegPath?: string;
  ffmpegTimeoutMs?: number;
  clock?: Clock;
  tmpDir?: string;
}

export interface HeardVoiceNote {
  /** Machine-made and untrusted: it may be wrong, and it never confirms anything. */
  text: string;
  durationSeconds: number;
  format: AudioFormat;
  chunks: number;
  provider: string;
}

/**
 * Peak at or under −60 dBFS: digital silence or a muted microphone. No provider is asked about it
 * (Whisper models tend to invent "Thank you." for silence).
 */
const SILENCE_PEAK = 33;
/** What Whisper servers write for non-speech: whisper.cpp's "[BLANK_AUDIO]", "(silence)", "[Music]". */
const NON_SPEECH_ONLY = /^(?:\s*(?:\[[^\]]*\]|\([^)]*\)|\*[^*]*\*)\s*)+$/;

/**
 * The media step for one voice note: decode (sniffing the bytes, enforcing the limits), then transcribe.
 * A note with no speech in it throws NothingHeardError; every other failure is the typed error of the
 * step that failed (see prepareAudio and the Transcriber implementations).
 *
 * @example
 * const heard = await transcribeVoiceNote(media.bytes, media.declaredMimeType, { limits: config.voice, transcriber });
 * heard.text; // "remind me to call John tomorrow at five"
 */
export async function transcribeVoiceNote(
  bytes: Uint8Array,
  declaredMimeType: string | undefined,
  options: TranscribeVoiceNoteOptions,
): Promise<HeardVoiceNote> {
  const audio = await prepareAudio(bytes, {
    declaredMimeType,
    maxBytes: options.limits.maxBytes,
    maxSeconds: options.limits.maxSeconds,
    ffmpegPath: options.ffmpegPath,
    ffmpegTimeoutMs: options.ffmpegTimeoutMs,
    clock: options.clock,
    tmpDir: options.tmpDir,
  });
  if (isSilent(audio)) throw new NothingHeardError(audio.durationSeconds);
  const result = await options.transcriber.transcribe(audio, options.language === undefined ? {} : { language: options.language });
  const text = result.text.replace(/\s+/g, ' ').trim();
  if (text === '' || NON_SPEECH_ONLY.test(text)) throw new NothingHeardError(audio.durationSeconds);
  return { text, durationSeconds: audio.durationSeconds, format: audio.format, chunks: result.chunks, provider: result.provider };
}

function isSilent(audio: PreparedAudio): boolean {
  const { pcm } = audio;
  for (let i = 0; i < pcm.length; i++) {
    const s = pcm[i]!;
    if (s > SILENCE_PEAK || s < -SILENCE_PEAK) return false;
  }
  return true;
}

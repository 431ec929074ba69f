import { SwitchboardError } from '../core/errors.js';

/**
 * Why a voice note could not be turned into audio. One class per `code`; each message is a sentence the
 * bot can show the sender as it is ("That voice note is 31 MB; the limit is 20 MB.").
 */

/** The file has no bytes at all (a failed download, an empty upload). */
export class AudioEmptyError extends SwitchboardError {
  readonly code = 'audio_empty';
  override readonly status = 400;
  constructor(detail = 'That voice note is empty (0 bytes); please record it again.') {
    super(detail);
  }
}

/** Refused before anything was decoded. */
export class AudioTooLargeError extends SwitchboardError {
  readonly code = 'audio_too_large';
  override readonly status = 413;
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`That voice note is ${formatBytes(sizeBytes)}; the limit is ${formatBytes(maxBytes)}.`);
  }
}

/**
 * Longer than the limit. `atLeast` is true when decoding stopped at the limit, so the real length is
 * only known to be more than `durationSeconds`.
 */
export class AudioTooLongError extends SwitchboardError {
  readonly code = 'audio_too_long';
  override readonly status = 413;
  constructor(
    readonly durationSeconds: number,
    readonly maxSeconds: number,
    readonly atLeast = false,
  ) {
    super(
      atLeast
        ? `That voice note is longer than ${formatDuration(maxSeconds)}, the limit; please send a shorter one.`
        : `That voice note is ${formatDuration(durationSeconds)} long; the limit is ${formatDuration(maxSeconds)}.`,
    );
  }
}

/** The bytes are not audio at all, whatever type was declared (an image, a web page, random data). */
export class NotAudioError extends SwitchboardError {
  readonly code = 'not_audio';
  override readonly status = 415;
  constructor(
    /** What the bytes look like, e.g. "a PNG image", when recognisable. */
    readonly looksLike: string | undefined,
    readonly declaredMimeType: string | undefined,
  ) {
    const declared = declaredMimeType ? ` (it was sent as ${declaredMimeType})` : '';
    super(
      looksLike
        ? `That file is ${looksLike}, not audio${declared}; please send a voice note.`
        : `That file is not audio Switchboard recognises${declared}; please send a voice note (OGG/Opus, M4A, WebM, MP3 or WAV).`,
    );
  }
}

/** Audio, but in a format Switchboard does not decode (Ogg Vorbis, FLAC, AMR, ADTS AAC, compressed WAV). */
export class UnsupportedAudioError extends SwitchboardError {
  readonly code = 'audio_unsupported';
  override readonly status = 415;
  constructor(readonly what: string) {
    super(`That audio is ${what}, which Switchboard cannot read; please send OGG/Opus, M4A, WebM, MP3 or WAV.`);
  }
}

/** The file starts like audio of `format` but cannot be decoded: truncated, damaged, or garbage inside. */
export class AudioCorruptError extends SwitchboardError {
  readonly code = 'audio_corrupt';
  override readonly status = 400;
  constructor(
    readonly format: string,
    /** What was wrong, for the log (e.g. "the file ends in the middle of an Ogg page"). */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`That voice note could not be read: the ${formatLabel(format)} file is damaged or incomplete (${detail}). Please send it again.`, options);
  }
}

/** ffmpeg is needed for M4A/MP4, WebM and MP3, and is not installed (or not where it was said to be). */
export class FfmpegMissingError extends SwitchboardError {
  readonly code = 'ffmpeg_missing';
  override readonly status = 503;
  constructor(
    readonly format: string,
    readonly ffmpegPath: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Voice notes in ${formatLabel(format)} format need ffmpeg, which this server does not have ("${ffmpegPath}" was not found). ` +
        'Install it (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Alpine: apk add ffmpeg) and restart Switchboard. ' +
        'OGG/Opus (WhatsApp, Telegram) and WAV notes work without it.',
      options,
    );
  }
}

/** Decoding took longer than its time limit (a pathological file, or an overloaded machine). */
export class AudioDecodeTimeoutError extends SwitchboardError {
  readonly code = 'audio_decode_timeout';
  override readonly status = 503;
  constructor(
    readonly format: string,
    readonly timeoutMs: number,
  ) {
    super(`That voice note took too long to decode (more than ${Math.round(timeoutMs / 1000)} s for a ${formatLabel(format)} file); please try again or send a shorter note.`);
  }
}

// --- wording ---

/** "31 MB", "20.5 MB", "900 KB", "12 bytes" (1 MB = 1024 × 1024 bytes, as the limits are set). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1024 * 1024) return `${trimDecimal(bytes / 1024)} KB`;
  return `${trimDecimal(bytes / (1024 * 1024))} MB`;
}

/** "45 seconds", "20 minutes", "21 minutes 5 seconds". */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} second${whole === 1 ? '' : 's'}`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  const m = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return rest === 0 ? m : `${m} ${rest} second${rest === 1 ? '' : 's'}`;
}

function trimDecimal(value: number): string {
  // One decimal below 10, whole numbers above: "9.5 MB", "31 MB".
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

function formatLabel(format: string): string {
  switch (format) {
    case 'ogg-opus':
      return 'OGG/Opus';
    case 'mp4':
      return 'M4A/MP4';
    case 'webm':
      return 'WebM';
    case 'mp3':
      return 'MP3';
    case 'wav':
      return 'WAV';
    default:
      return format;
  }
}

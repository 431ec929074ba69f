/**
 * Content-type sniffing from the bytes' magic numbers. The type a platform declares is never trusted:
 * a note sent as audio/ogg may be an MP3, and a "voice note" may be a PNG or an HTML error page.
 */

export const AUDIO_FORMATS = ['ogg-opus', 'mp4', 'webm', 'mp3', 'wav'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export type SniffResult =
  /** A format Switchboard decodes. */
  | { kind: 'audio'; format: AudioFormat }
  /** Audio, but a format Switchboard does not decode (`what` reads "Ogg Vorbis", "FLAC", …). */
  | { kind: 'unsupported'; what: string }
  /** Not audio; `looksLike` names what it is when recognisable ("a PNG image"). */
  | { kind: 'not-audio'; looksLike?: string };

/**
 * Tells what the bytes are, from their first bytes only (cheap: nothing is decoded).
 *
 * @example
 * sniffAudioFormat(bytes); // { kind: 'audio', format: 'ogg-opus' }
 */
export function sniffAudioFormat(bytes: Uint8Array): SniffResult {
  if (startsWith(bytes, 0, 'OggS')) return sniffOgg(bytes);
  if (ascii(bytes, 4, 4) === 'ftyp') return sniffIsoBmff(bytes);
  if (startsWithBytes(bytes, 0, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'audio', format: 'webm' };
  if (startsWith(bytes, 0, 'RIFF')) return sniffRiff(bytes);
  if (startsWith(bytes, 0, 'ID3')) return sniffAfterId3(bytes);
  if (startsWith(bytes, 0, 'fLaC')) return { kind: 'unsupported', what: 'FLAC' };
  if (startsWith(bytes, 0, '#!AMR')) return { kind: 'unsupported', what: 'AMR' };
  if (startsWith(bytes, 0, 'FORM') && (startsWith(bytes, 8, 'AIFF') || startsWith(bytes, 8, 'AIFC'))) {
    return { kind: 'unsupported', what: 'AIFF' };
  }
  if (isMpegAudio(bytes)) return { kind: 'audio', format: 'mp3' };
  if (isAdtsAac(bytes)) return { kind: 'unsupported', what: 'raw AAC (ADTS)' };
  return { kind: 'not-audio', looksLike: describeNonAudio(bytes) };
}

// --- containers ---

/** Ogg is a container: the first packet of the first page says which codec is inside. */
function sniffOgg(bytes: Uint8Array): SniffResult {
  const segments = bytes[26];
  if (segments === undefined) return { kind: 'audio', format: 'ogg-opus' }; // too short: the Ogg reader reports it
  const packet = 27 + segments;
  if (startsWith(bytes, packet, 'OpusHead')) return { kind: 'audio', format: 'ogg-opus' };
  if (startsWithBytes(bytes, packet, [0x01, ...codes('vorbis')])) return { kind: 'unsupported', what: 'Ogg Vorbis' };
  if (startsWithBytes(bytes, packet, [0x7f, ...codes('FLAC')])) return { kind: 'unsupported', what: 'Ogg FLAC' };
  if (startsWith(bytes, packet, 'Speex   ')) return { kind: 'unsupported', what: 'Ogg Speex' };
  if (startsWithBytes(bytes, packet, [0x80, ...codes('theora')])) return { kind: 'not-audio', looksLike: 'an Ogg Theora video' };
  if (bytes.length < packet + 8) return { kind: 'audio', format: 'ogg-opus' }; // cut short inside the first page
  return { kind: 'unsupported', what: 'an Ogg file whose codec is not Opus' };
}

/** ISO-BMFF (`ftyp`) holds M4A/MP4/3GP audio, but also HEIC and AVIF still images. */
function sniffIsoBmff(bytes: Uint8Array): SniffResult {
  const brand = ascii(bytes, 8, 4);
  if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis'].includes(brand)) {
    return { kind: 'not-audio', looksLike: brand.startsWith('av') ? 'an AVIF image' : 'a HEIC image' };
  }
  return { kind: 'audio', format: 'mp4' };
}

function sniffRiff(bytes: Uint8Array): SniffResult {
  const form = ascii(bytes, 8, 4);
  if (form === 'WAVE') return { kind: 'audio', format: 'wav' };
  if (form === 'WEBP') return { kind: 'not-audio', looksLike: 'a WebP image' };
  if (form === 'AVI ') return { kind: 'not-audio', looksLike: 'an AVI video' };
  return { kind: 'not-audio', looksLike: undefined };
}

/**
 * An ID3v2 tag usually precedes MP3 frames, but some tools put one before FLAC or raw AAC: look past it
 * (its size is four 7-bit "syncsafe" bytes) and name those; anything else is handed to the MP3 decoder.
 */
function sniffAfterId3(bytes: Uint8Array): SniffResult {
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = (bytes[5]! & 0x10) !== 0 ? 10 : 0;
  const rest = bytes.subarray(10 + size + footer);
  if (bytes.length >= 10 && rest.length >= 4) {
    const inner = sniffAudioFormat(rest);
    if (inner.kind === 'unsupported') return inner;
  }
  return { kind: 'audio', format: 'mp3' };
}

// --- MPEG audio frames (MP3 without an ID3 tag) ---

const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MPEG1_L2_KBPS = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384];
const MPEG1_L1_KBPS = [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448];
const MPEG2_L1_KBPS = [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256];
const SAMPLE_RATES = [44_100, 48_000, 32_000];

/**
 * The length in bytes of the MPEG audio frame whose header starts at `offset`, or undefined when
 * there is no valid header there (sync, version, layer, bitrate and sample-rate fields all checked).
 */
export function mpegFrameLength(bytes: Uint8Array, offset: number): number | undefined {
  const b1 = bytes[offset];
  const b2 = bytes[offset + 1];
  const b3 = bytes[offset + 2];
  if (b1 === undefined || b2 === undefined || b3 === undefined) return undefined;
  if (b1 !== 0xff || (b2 & 0xe0) !== 0xe0) return undefined;
  const version = (b2 >> 3) & 0b11; // 00 MPEG 2.5, 01 reserved, 10 MPEG 2, 11 MPEG 1
  const layer = (b2 >> 1) & 0b11; // 01 Layer III, 10 Layer II, 11 Layer I, 00 reserved (ADTS uses it)
  const bitrateIndex = b3 >> 4;
  const rateIndex = (b3 >> 2) & 0b11;
  if (version === 0b01 || layer === 0b00 || bitrateIndex === 0 || bitrateIndex === 0b1111 || rateIndex === 0b11) return undefined;
  const mpeg1 = version === 0b11;
  const sampleRate = (SAMPLE_RATES[rateIndex] ?? 0) / (mpeg1 ? 1 : version === 0b10 ? 2 : 4);
  const padding = (b3 >> 1) & 1;
  if (layer === 0b11) {
    const kbps = (mpeg1 ? MPEG1_L1_KBPS : MPEG2_L1_KBPS)[bitrateIndex] ?? 0;
    return (Math.floor((12 * kbps * 1000) / sampleRate) + padding) * 4;
  }
  const kbps = (mpeg1 ? (layer === 0b10 ? MPEG1_L2_KBPS : MPEG1_L3_KBPS) : MPEG2_L3_KBPS)[bitrateIndex] ?? 0;
  const perFrame = layer === 0b01 && !mpeg1 ? 72 : 144;
  return Math.floor((perFrame * kbps * 1000) / sampleRate) + padding;
}

/** A frame header at 0 followed by a second one where the first frame ends (one alone is 1 in 2048 for random bytes). */
function isMpegAudio(bytes: Uint8Array): boolean {
  const first = mpegFrameLength(bytes, 0);
  if (first === undefined || first < 4) return false;
  if (bytes.length <= first) return bytes.length >= 4; // a file of exactly one frame
  return mpegFrameLength(bytes, first) !== undefined;
}

function isAdtsAac(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xf6) === 0xf0;
}

// --- what other things look like, for a helpful refusal ---

function describeNonAudio(bytes: Uint8Array): string | undefined {
  if (startsWithBytes(bytes, 0, [0x89, ...codes('PNG')])) return 'a PNG image';
  if (startsWithBytes(bytes, 0, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(bytes, 0, 'GIF8')) return 'a GIF image';
  if (startsWith(bytes, 0, '%PDF')) return 'a PDF document';
  if (startsWithBytes(bytes, 0, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive (or an Office document)';
  if (startsWithBytes(bytes, 0, [0x1f, 0x8b])) return 'a gzip archive';
  const text = leadingText(bytes);
  if (text !== undefined) {
    const lower = text.toLowerCase();
    if (lower.startsWith('<!doctype html') || lower.startsWith('<html')) return 'a web page (HTML)';
    if (lower.startsWith('{') || lower.startsWith('[')) return 'a JSON document';
    if (lower.startsWith('<')) return 'an XML or HTML document';
    return 'a text file';
  }
  return undefined;
}

/** The first bytes as text when they are printable (UTF-8/ASCII), after leading white space and a BOM. */
function leadingText(bytes: Uint8Array): string | undefined {
  let start = 0;
  if (startsWithBytes(bytes, 0, [0xef, 0xbb, 0xbf])) start = 3;
  const sample = bytes.subarray(start, start + 512);
  if (sample.length === 0) return undefined;
  for (const b of sample) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return undefined;
  return Buffer.from(sample).toString('utf8').trimStart();
}

// --- byte helpers ---

function codes(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function startsWithBytes(bytes: Uint8Array, offset: number, expected: number[]): boolean {
  if (bytes.length < offset + expected.length) return false;
  return expected.every((b, i) => bytes[offset + i] === b);
}

function startsWith(bytes: Uint8Array, offset: number, text: string): boolean {
  return startsWithBytes(bytes, offset, codes(text));
}

export function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

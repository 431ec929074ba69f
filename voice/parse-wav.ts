import { AudioCorruptError, UnsupportedAudioError } from './audio-errors.js';

/** A WAV file's samples, one float array per channel, and its header. */
export interface WavAudio {
  sampleRate: number;
  channels: Float32Array[];
  bitsPerSample: number;
  encoding: 'pcm' | 'float';
  durationSeconds: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Streaming writers (ffmpeg to a pipe, some recorders) leave the sizes at these placeholders. */
const UNKNOWN_SIZES = new Set([0, 0xffff_ffff]);

/** The `fmt ` and `data` chunks' facts, read without converting any samples. */
export interface WavHeader {
  sampleRate: number;
  channelCount: number;
  bitsPerSample: number;
  encoding: 'pcm' | 'float';
  dataOffset: number;
  dataLength: number;
  durationSeconds: number;
}

/**
 * Reads the RIFF chunks of a WAV file: PCM (8, 16, 24, 32-bit) or IEEE float (32, 64-bit), plain or
 * WAVE_FORMAT_EXTENSIBLE. A `data` chunk longer than the file means it was cut short: AudioCorruptError.
 */
export function readWavHeader(bytes: Uint8Array): WavHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw corrupt('the file is shorter than a RIFF header');
  let fmt: Omit<WavHeader, 'dataOffset' | 'dataLength' | 'durationSeconds'> | undefined;
  let blockAlign = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) throw corrupt('its fmt chunk is incomplete');
      let tag = view.getUint16(body, true);
      const channelCount = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      blockAlign = view.getUint16(body + 12, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40) throw corrupt('its WAVE_FORMAT_EXTENSIBLE header is incomplete');
        tag = view.getUint16(body + 24, true); // the first two bytes of the sub-format GUID
      }
      if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
        throw new UnsupportedAudioError(`a compressed WAV (format ${describeTag(tag)})`);
      }
      const encoding = tag === WAVE_FORMAT_PCM ? 'pcm' : 'float';
      const validBits = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
      if (!validBits.includes(bitsPerSample)) throw new UnsupportedAudioError(`a ${bitsPerSample}-bit ${encoding === 'pcm' ? 'PCM' : 'float'} WAV`);
      if (channelCount === 0 || sampleRate === 0) throw corrupt('its header declares no channels or a zero sample rate');
      if (sampleRate < 1000 || sampleRate > 768_000) throw corrupt(`its header declares an implausible sample rate of ${sampleRate} Hz`);
      if (blockAlign !== (channelCount * bitsPerSample) / 8) throw corrupt('its block alignment does not match its channels and sample size');
      fmt = { sampleRate, channelCount, bitsPerSample, encoding };
    } else if (id === 'data') {
      if (!fmt) throw corrupt('the data chunk comes before the fmt chunk');
      const available = bytes.length - body;
      let dataLength = size;
      if (UNKNOWN_SIZES.has(size)) dataLength = available;
      else if (size > available) throw corrupt(`its data chunk declares ${size} bytes but only ${available} are present: the file was cut short`);
      dataLength -= dataLength % blockAlign;
      return { ...fmt, dataOffset: body, dataLength, durationSeconds: dataLength / blockAlign / fmt.sampleRate };
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  throw corrupt(fmt ? 'it has no data chunk' : 'it has no fmt chunk');
}

/**
 * Parses a WAV file into float channels.
 *
 * @example
 * const { sampleRate, channels } = parseWav(bytes);
 */
export function parseWav(bytes: Uint8Array): WavAudio {
  const header = readWavHeader(bytes);
  const { channelCount, bitsPerSample, encoding, dataOffset, dataLength, sampleRate } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, dataLength);
  const bytesPerSample = bitsPerSample / 8;
  const frames = dataLength / (bytesPerSample * channelCount);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  const read = sampleReader(view, encoding, bitsPerSample);
  for (let frame = 0, at = 0; frame < frames; frame++) {
    for (let c = 0; c < channelCount; c++, at += bytesPerSample) channels[c]![frame] = read(at);
  }
  return { sampleRate, channels, bitsPerSample, encoding, durationSeconds: header.durationSeconds };
}

function sampleReader(view: DataView, encoding: 'pcm' | 'float', bits: number): (at: number) => number {
  if (encoding === 'float') return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8_388_608);
    default:
      return (at) => view.getInt32(at, true) / 2_147_483_648;
  }
}

function describeTag(tag: number): string {
  const names: Record<number, string> = { 0x0002: 'MS ADPCM', 0x0006: 'A-law', 0x0007: 'μ-law', 0x0011: 'IMA ADPCM', 0x0055: 'MP3', 0x0031: 'GSM 6.10' };
  return names[tag] ?? `0x${tag.toString(16).padStart(4, '0')}`;
}

function corrupt(detail: string): AudioCorruptError {
  return new AudioCorruptError('wav', detail);
}

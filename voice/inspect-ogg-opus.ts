import { AudioCorruptError } from './audio-errors.js';

/** What the Ogg pages of an OGG/Opus file say, read without decoding any audio. */
export interface OggOpusInfo {
  channels: number;
  /** Samples (at 48 kHz) the decoder must drop at the start. */
  preSkip: number;
  /** The sample rate of the recording before encoding (informational; Opus always decodes at 48 kHz). */
  inputSampleRate: number;
  /** From the last granule position: exact, and known before decoding. */
  durationSeconds: number;
  /** Each page's byte range, in order, so the decoder can be fed whole pages. */
  pages: { offset: number; length: number }[];
  /** The last page carries the end-of-stream flag (a well-closed file). */
  endOfStream: boolean;
}

const HEADER_BYTES = 27;
const FLAG_CONTINUED = 0x01;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
const NO_GRANULE = 0xffff_ffff_ffff_ffffn;

/**
 * Walks every Ogg page (RFC 3533): capture pattern, version, CRC-32 of each page, pages back to back
 * to the end of the file, an `OpusHead` identification header first (RFC 7845). A file cut short
 * (a download that stopped), or with garbage after a valid header, fails here with AudioCorruptError
 * instead of being half-decoded: the WASM decoder silently skips what it cannot parse.
 *
 * Chained streams (one after another, each with its own OpusHead) are accepted; interleaved
 * (multiplexed) streams are not: a voice note has one.
 *
 * Hand-written rather than codec-parser (the page parser inside ogg-opus-decoder), measured in issue 9:
 * - codec-parser is lenient by design, for streaming: it skips bytes until the next `OggS`, hands back a
 *   last page cut short as it is, and never verifies the page CRC (its crc32 is zlib's, not Ogg's). A
 *   version on top of it still needed this file's checks (pages tile the file, each whole, each CRC) and
 *   came out no shorter;
 * - it parses every Opus packet into an object: 18-22 times slower, synchronously, on the event loop
 *   that serves webhooks (a 20-minute note, 3.5 MB: 464 ms against 25 ms here on a loaded 2-core
 *   machine; a 5-minute note: 138 ms against 6.3 ms).
 * Both read the same pages, granule positions and OpusHead fields from real notes, and reject the
 * same damaged files: test/voice/inspect-ogg-opus.test.ts holds codec-parser as the independent oracle.
 */
export function inspectOggOpus(bytes: Uint8Array): OggOpusInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pages: OggOpusInfo['pages'] = [];
  let offset = 0;
  let serial: number | undefined;
  let streamOpen = false;
  let expectHead = true;
  let head: { channels: number; preSkip: number; inputSampleRate: number } | undefined;
  let streamGranule = 0n;
  let preSkipOfStream = 0;
  let totalSamples = 0;
  let lastFlags = 0;

  while (offset < bytes.length) {
    const where = `at byte ${offset}`;
    if (bytes.length - offset < HEADER_BYTES) throw corrupt(`the file ends in the middle of an Ogg page header ${where}: it was cut short`);
    if (view.getUint32(offset) !== 0x4f67_6753 /* OggS */) {
      throw corrupt(pages.length === 0 ? 'no Ogg page at the start' : `unexpected data ${where} where the next Ogg page should start`);
    }
    if (bytes[offset + 4] !== 0) throw corrupt(`unknown Ogg version ${bytes[offset + 4]} ${where}`);
    const flags = bytes[offset + 5]!;
    const granule = view.getBigUint64(offset + 6, true);
    const pageSerial = view.getUint32(offset + 14, true);
    const segments = bytes[offset + 26]!;
    if (bytes.length - offset < HEADER_BYTES + segments) throw corrupt(`the file ends inside an Ogg page's segment table ${where}: it was cut short`);
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += bytes[offset + HEADER_BYTES + i]!;
    const length = HEADER_BYTES + segments + bodyLength;
    if (bytes.length - offset < length) throw corrupt(`the file ends in the middle of an Ogg page ${where}: it was cut short`);
    if (oggCrc(bytes, offset, length) !== view.getUint32(offset + 22, true)) throw corrupt(`Ogg page ${pages.length} ${where} fails its checksum`);

    // Stream bookkeeping: a new stream starts with BOS, only after the previous one ended.
    if (flags & FLAG_BOS) {
      if (streamOpen) throw corrupt(`a second Ogg stream starts ${where} while the first is still open (interleaved streams)`);
      streamOpen = true;
      serial = pageSerial;
      expectHead = true;
      streamGranule = 0n;
    } else if (!streamOpen || pageSerial !== serial) {
      throw corrupt(`Ogg page ${where} belongs to no open stream`);
    }

    const body = offset + HEADER_BYTES + segments;
    if (expectHead) {
      head = readOpusHead(bytes, body, bodyLength, flags, where);
      preSkipOfStream = head.preSkip;
      expectHead = false;
    }
    if (granule !== NO_GRANULE && !(flags & FLAG_BOS)) streamGranule = granule;
    if (flags & FLAG_EOS) {
      totalSamples += Math.max(0, Number(streamGranule) - preSkipOfStream);
      streamOpen = false;
    }
    lastFlags = flags;
    pages.push({ offset, length });
    offset += length;
  }

  if (!head) throw corrupt('no Ogg page at the start');
  // A stream without its end-of-stream page (a recorder that did not close the file) still counts.
  if (streamOpen) totalSamples += Math.max(0, Number(streamGranule) - preSkipOfStream);
  return {
    channels: head.channels,
    preSkip: head.preSkip,
    inputSampleRate: head.inputSampleRate,
    durationSeconds: totalSamples / 48_000,
    pages,
    endOfStream: (lastFlags & FLAG_EOS) !== 0,
  };
}

/** The identification header (RFC 7845 §5.1): alone on the first page of each stream. */
function readOpusHead(bytes: Uint8Array, body: number, length: number, flags: number, where: string) {
  if (!(flags & FLAG_BOS) || flags & FLAG_CONTINUED) throw corrupt(`the Ogg stream does not begin with its identification page ${where}`);
  if (length < 19 || String.fromCharCode(...bytes.subarray(body, body + 8)) !== 'OpusHead') {
    throw corrupt(`the Ogg stream ${where} does not start with an OpusHead header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + body, length);
  const version = view.getUint8(8);
  if (version >> 4 !== 0) throw corrupt(`unsupported OpusHead version ${version}`);
  const channels = view.getUint8(9);
  if (channels === 0) throw corrupt('OpusHead declares 0 channels');
  const mappingFamily = view.getUint8(18);
  if (mappingFamily === 0 && channels > 2) throw corrupt(`OpusHead declares ${channels} channels with mapping family 0`);
  return { channels, preSkip: view.getUint16(10, true), inputSampleRate: view.getUint32(12, true) };
}

// --- CRC-32 as Ogg defines it: polynomial 0x04C11DB7, initial 0, not reflected, no final XOR ---

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x8000_0000 ? (r << 1) ^ 0x04c1_1db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** The page's CRC, computed with its own checksum field (bytes 22–25) read as zero. */
function oggCrc(bytes: Uint8Array, offset: number, length: number): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : bytes[offset + i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

function corrupt(detail: string): AudioCorruptError {
  return new AudioCorruptError('ogg-opus', detail);
}

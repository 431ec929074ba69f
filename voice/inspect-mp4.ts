import { AudioCorruptError } from './audio-errors.js';

/** What the top-level boxes of an ISO-BMFF (M4A/MP4/3GP) file say, read without decoding. */
export interface Mp4Info {
  /** From the movie header (`mvhd`), when it states one (fragmented files may not). */
  durationSeconds: number | undefined;
  /**
   * The index (`moov`) comes after the media data (`mdat`), as most encoders write it by default.
   * Such a file cannot be decoded from a pipe (the demuxer would have to seek back), so it goes to ffmpeg
   * as a temporary file.
   */
  indexAtEnd: boolean;
}

/**
 * Walks the top-level boxes: every box must fit inside the file (a cut-short download does not), and a
 * `moov` box must exist. Reads the duration from `moov/mvhd`.
 */
export function inspectMp4(bytes: Uint8Array): Mp4Info {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let moov: { start: number; end: number } | undefined;
  let mdatSeen = false;
  let indexAtEnd = false;
  while (offset < bytes.length) {
    if (bytes.length - offset < 8) throw corrupt(`the file ends inside a box header at byte ${offset}: it was cut short`);
    let size = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    let header = 8;
    if (size === 1) {
      if (bytes.length - offset < 16) throw corrupt(`the file ends inside a box header at byte ${offset}: it was cut short`);
      const large = view.getBigUint64(offset + 8);
      size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large);
      header = 16;
    } else if (size === 0) {
      size = bytes.length - offset; // "extends to the end of the file"
    }
    if (size < header) throw corrupt(`box "${printable(type)}" at byte ${offset} has an impossible size`);
    if (offset + size > bytes.length) throw corrupt(`box "${printable(type)}" at byte ${offset} runs past the end of the file: it was cut short`);
    if (type === 'mdat') mdatSeen = true;
    if (type === 'moov') {
      moov = { start: offset + header, end: offset + size };
      indexAtEnd = mdatSeen;
    }
    offset += size;
  }
  if (!moov) throw corrupt('it has no moov box (the index of the recording): the file is incomplete');
  return { durationSeconds: movieDuration(view, moov.start, moov.end), indexAtEnd };
}

function movieDuration(view: DataView, start: number, end: number): number | undefined {
  let offset = start;
  while (offset + 8 <= end) {
    const size = view.getUint32(offset);
    const type = String.fromCharCode(view.getUint8(offset + 4), view.getUint8(offset + 5), view.getUint8(offset + 6), view.getUint8(offset + 7));
    if (size < 8 || offset + size > end) return undefined;
    if (type === 'mvhd') {
      const version = view.getUint8(offset + 8);
      const timescaleAt = offset + 12 + (version === 1 ? 16 : 8);
      if (timescaleAt + (version === 1 ? 12 : 8) > offset + size) return undefined;
      const timescale = view.getUint32(timescaleAt);
      const duration = version === 1 ? Number(view.getBigUint64(timescaleAt + 4)) : view.getUint32(timescaleAt + 4);
      const unknown = version === 1 ? duration >= Number.MAX_SAFE_INTEGER : duration === 0xffff_ffff;
      return timescale === 0 || unknown || duration === 0 ? undefined : duration / timescale;
    }
    offset += size;
  }
  return undefined;
}

function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, '?');
}

function corrupt(detail: string): AudioCorruptError {
  return new AudioCorruptError('mp4', detail);
}

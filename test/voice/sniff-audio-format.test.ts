import { describe, expect, it } from 'vitest';
import { sniffAudioFormat } from '../../voice/index.js';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

/** The first page of an Ogg stream whose only packet starts with `packet`. */
const oggFirstPage = (packet: string | number[]) => {
  const body = bytes(packet);
  return bytes('OggS', [0, 2], new Array(20).fill(0), [1, body.length], Array.from(body));
};

describe('sniffAudioFormat', () => {
  it.each([
    ['OGG/Opus', oggFirstPage('OpusHead\x01\x01'), 'ogg-opus'],
    ['M4A', bytes([0, 0, 0, 0x1c], 'ftypM4A ', [0, 0, 2, 0]), 'mp4'],
    ['MP4 (isom)', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]), 'mp4'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]), 'webm'],
    ['MP3 with ID3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), 'mp3'],
    ['WAV', bytes('RIFF', [36, 0, 0, 0], 'WAVEfmt '), 'wav'],
  ])('recognises %s', (_label, input, format) => {
    expect(sniffAudioFormat(input)).toEqual({ kind: 'audio', format });
  });

  it('recognises a bare MPEG audio stream by two consecutive frame headers', () => {
    const frames = new Uint8Array(417 * 2);
    frames.set([0xff, 0xfb, 0x90, 0x64]);
    frames.set([0xff, 0xfb, 0x90, 0x64], 417);
    expect(sniffAudioFormat(frames)).toEqual({ kind: 'audio', format: 'mp3' });
    const lonely = frames.slice();
    lonely.set([0, 0, 0, 0], 417); // a sync pattern once is chance, not MP3
    expect(sniffAudioFormat(lonely).kind).toBe('not-audio');
  });

  it.each([
    ['Ogg Vorbis', oggFirstPage([0x01, ...'vorbis'.split('').map((c) => c.charCodeAt(0))])],
    ['FLAC', bytes('fLaC', [0, 0, 0, 34])],
    ['AMR', bytes('#!AMR\n')],
    ['raw AAC (ADTS)', bytes([0xff, 0xf1, 0x50, 0x80])],
    ['FLAC', bytes('ID3', [4, 0, 0, 0, 0, 0, 2], [0, 0], 'fLaC', [0, 0, 0, 34])],
  ])('names audio it does not decode: %s', (what, input) => {
    expect(sniffAudioFormat(input)).toEqual({ kind: 'unsupported', what });
  });

  it.each([
    ['a PNG image', bytes([0x89], 'PNG\r\n', [0x1a, 0x0a])],
    ['a JPEG image', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['a HEIC image', bytes([0, 0, 0, 0x18], 'ftypheic')],
    ['a PDF document', bytes('%PDF-1.7')],
    ['a web page (HTML)', bytes('  <!DOCTYPE html><html>')],
    ['a JSON document', bytes('{"error":"expired"}')],
    ['a WebP image', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
  ])('says what non-audio is: %s', (looksLike, input) => {
    expect(sniffAudioFormat(input)).toEqual({ kind: 'not-audio', looksLike });
  });

  it('does not trust anything but the bytes', () => {
    expect(sniffAudioFormat(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toEqual({ kind: 'not-audio', looksLike: undefined });
  });
});

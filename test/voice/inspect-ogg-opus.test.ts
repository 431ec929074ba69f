import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import CodecParser, { type OggPage, type OpusHeader } from 'codec-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AudioCorruptError, inspectOggOpus } from '../../voice/index.js';
import { createTestAudio, readBytes, type TestAudio } from '../support/audio.js';
import { describeNeeding } from '../support/needs.js';

const run = promisify(execFile);

/**
 * voice/inspect-ogg-opus.ts reads Ogg pages by hand (its comment says why, with the figures). Here
 * codec-parser, the page parser inside ogg-opus-decoder, is the independent oracle: on real notes both
 * must read the same pages, granule positions and OpusHead fields; damaged files must be refused.
 */
let audio: TestAudio;
let note: Uint8Array;
let other: Uint8Array;

/** What codec-parser reads: page ranges, OpusHead fields, and the duration from the last granule. */
function oracle(bytes: Uint8Array) {
  const pages = new CodecParser('audio/ogg', { enableLogging: false, enableFrameCRC32: false }).parseAll(bytes) as OggPage[];
  let offset = 0;
  const ranges = pages.map((page) => {
    const range = { offset, length: page.rawData.length };
    offset += page.rawData.length;
    return range;
  });
  const header = pages.flatMap((page) => page.codecFrames)[0]!.header as OpusHeader;
  return { ranges, header, bytesRead: offset, pages };
}

function corruptDetail(bytes: Uint8Array): string {
  try {
    inspectOggOpus(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(AudioCorruptError);
    return (error as AudioCorruptError).detail;
  }
  throw new Error('inspectOggOpus accepted a damaged file');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function medianMs(fn: () => unknown, runs: number): number {
  fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

describeNeeding('espeak-ng', 'opusenc', 'ffmpeg')('inspectOggOpus, against codec-parser', () => {
  beforeAll(async () => {
    audio = await createTestAudio();
    note = await readBytes(await audio.toOggOpus(await audio.speak('remind me to call John tomorrow at five and send Acme the proposal by Friday')));
    other = await readBytes(await audio.toOggOpus(await audio.speak('and then something else entirely')));
  });
  afterAll(async () => {
    await audio?.dispose();
  });

  it('reads the same pages, OpusHead and duration as codec-parser on a real voice note', () => {
    const info = inspectOggOpus(note);
    const expected = oracle(note);
    expect(expected.bytesRead).toBe(note.length);
    expect(info.pages).toEqual(expected.ranges);
    expect({ channels: info.channels, preSkip: info.preSkip, inputSampleRate: info.inputSampleRate }).toEqual({
      channels: expected.header.channels,
      preSkip: expected.header.preSkip,
      inputSampleRate: expected.header.inputSampleRate,
    });
    const last = expected.pages.at(-1)!;
    expect(info.durationSeconds).toBe((Number(last.absoluteGranulePosition) - expected.header.preSkip) / 48_000);
    expect(info.endOfStream).toBe(last.isLastPage);
  });

  it('adds up chained streams (one note after another), as codec-parser reads them', () => {
    const chained = concat(note, other);
    const info = inspectOggOpus(chained);
    expect(info.pages).toEqual(oracle(chained).ranges);
    expect(info.durationSeconds).toBeCloseTo(inspectOggOpus(note).durationSeconds + inspectOggOpus(other).durationSeconds, 9);
  });

  it('refuses what codec-parser would read past: a cut, garbage, a flipped bit, interleaved streams, another codec', async () => {
    const pages = inspectOggOpus(note).pages;
    const page = (bytes: Uint8Array, i: number) => bytes.subarray(pages[i]!.offset, pages[i]!.offset + pages[i]!.length);

    expect(corruptDetail(note.subarray(0, note.length - 10))).toMatch(/the file ends in the middle of an Ogg page at byte \d+: it was cut short/);

    const garbage = note.slice();
    garbage.fill(7, pages[3]!.offset, pages[3]!.offset + 20);
    expect(oracle(garbage).bytesRead).toBeLessThan(note.length); // codec-parser skips the damaged page
    expect(corruptDetail(garbage)).toBe(`unexpected data at byte ${pages[3]!.offset} where the next Ogg page should start`);

    const flipped = note.slice();
    flipped[flipped.length - 100]! ^= 0x10;
    expect(oracle(flipped).bytesRead).toBe(note.length); // codec-parser does not check the page CRC
    expect(corruptDetail(flipped)).toMatch(/^Ogg page \d+ at byte \d+ fails its checksum$/);

    const otherPages = inspectOggOpus(other).pages;
    const otherPage = (i: number) => other.subarray(otherPages[i]!.offset, otherPages[i]!.offset + otherPages[i]!.length);
    const interleaved = concat(page(note, 0), otherPage(0), page(note, 1), otherPage(1));
    expect(corruptDetail(interleaved)).toMatch(/a second Ogg stream starts at byte \d+ while the first is still open \(interleaved streams\)/);

    const flac = await readBytes(await flacInOgg());
    expect(corruptDetail(flac)).toMatch(/does not start with an OpusHead header/);
  });

  it('is measurably faster than codec-parser on a long note (the reason it is hand-written)', async () => {
    const wav = path.join(audio.dir, 'tone.wav');
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=60', '-ac', '1', '-ar', '16000', wav]);
    const long = await readBytes(await audio.toOggOpus(wav));
    const handWritten = medianMs(() => inspectOggOpus(long), 7);
    const library = medianMs(() => oracle(long), 7);
    console.log(`[inspect-ogg-opus] 1-minute note (${long.length} bytes): hand-written ${handWritten.toFixed(1)} ms, codec-parser ${library.toFixed(1)} ms`);
    // Measured about 18 times faster; 3 leaves room for a busy machine.
    expect(handWritten * 3).toBeLessThan(library);
  }, 60_000);
});

async function flacInOgg(): Promise<string> {
  const wav = await audio.speak('flac');
  const out = path.join(audio.dir, 'speech.oga');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-c:a', 'flac', '-f', 'ogg', out]);
  return out;
}

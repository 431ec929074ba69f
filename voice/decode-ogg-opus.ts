import { AudioCorruptError } from './audio-errors.js';
import { inspectOggOpus, type OggOpusInfo } from './inspect-ogg-opus.js';
import { concatInt16, downmixToMono, floatToInt16 } from './pcm-samples.js';
import { Resampler } from './resampler.js';

export interface OggOpusDecoded {
  /** Mono samples at `sampleRate`. */
  pcm: Int16Array;
  sampleRate: number;
  /** Decoding stopped once the output passed `maxSeconds`. */
  cutAtLimit: boolean;
}

/**
 * Bytes of Ogg pages handed to the decoder at a time (about 4 s of a 32 kbit/s note): bounds the 48 kHz
 * float audio held at once, and the time the event loop is held (~40 ms) before other work may run.
 */
const FEED_BYTES = 16 * 1024;

/**
 * Decodes OGG/Opus (WhatsApp and Telegram voice notes) in process with the WASM libopus of
 * ogg-opus-decoder, page group by page group: each block is downmixed, resampled from 48 kHz to
 * `sampleRate` and converted to 16-bit before the next is decoded, so a 20-minute note never sits in
 * memory as 48 kHz floats (that would be 230 MB). The pages are checked first (`inspectOggOpus`).
 *
 * @example
 * const { pcm } = await decodeOggOpus(bytes, { sampleRate: 16_000, maxSeconds: 1200 });
 */
export async function decodeOggOpus(
  bytes: Uint8Array,
  options: { sampleRate: number; maxSeconds: number; info?: OggOpusInfo },
): Promise<OggOpusDecoded> {
  const info = options.info ?? inspectOggOpus(bytes);
  // Loaded with the first voice note, not at start (bench:start: about 0.15 s of CPU under tsx).
  const { OggOpusDecoder } = await import('ogg-opus-decoder');
  const decoder = new OggOpusDecoder();
  const resampler = new Resampler(48_000, options.sampleRate);
  const blocks: Int16Array[] = [];
  const maxSamples = Math.ceil((options.maxSeconds + 1) * options.sampleRate);
  let produced = 0;
  let errors = 0;
  let firstError: string | undefined;
  const take = (channelData: Float32Array[]) => {
    const block = floatToInt16(resampler.process(downmixToMono(channelData)));
    blocks.push(block);
    produced += block.length;
  };
  try {
    await decoder.ready;
    let index = 0;
    let fed = 0;
    while (index < info.pages.length && produced <= maxSamples) {
      const start = info.pages[index]!.offset;
      let end = start;
      while (index < info.pages.length && end - start < FEED_BYTES) {
        const page = info.pages[index++]!;
        end = page.offset + page.length;
      }
      if (fed++ > 0) await yieldToEventLoop();
      const decoded = await decoder.decode(bytes.subarray(start, end));
      errors += decoded.errors.length;
      firstError ??= decoded.errors[0]?.message;
      if (decoded.samplesDecoded > 0) take(decoded.channelData);
    }
    const rest = await decoder.flush();
    errors += rest.errors.length;
    firstError ??= rest.errors[0]?.message;
    if (rest.samplesDecoded > 0) take(rest.channelData);
  } catch (error) {
    throw new AudioCorruptError('ogg-opus', `the Opus decoder failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    decoder.free();
  }
  if (errors > 0) throw new AudioCorruptError('ogg-opus', `${errors} Opus packet${errors === 1 ? '' : 's'} could not be decoded (${firstError ?? 'invalid packet'})`);
  const tail = floatToInt16(resampler.flush());
  blocks.push(tail);
  return { pcm: concatInt16(blocks), sampleRate: options.sampleRate, cutAtLimit: produced > maxSamples };
}

/** Decoding is CPU work in WASM: let webhooks and other turns run between slices. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

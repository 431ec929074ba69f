import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, createLogger, ManualClock, SystemClock, type TimerHandle } from '../../core/index.js';
import {
  OpenAiTranscriber,
  type OpenAiTranscriberOptions,
  type PreparedAudio,
  prepareAudio,
  retryAfterMs,
  TranscriptionAuthError,
  TranscriptionFailedError,
} from '../../voice/index.js';
import { createTestAudio, durationOf, readBytes, rms, type TestAudio } from '../support/audio.js';
import { OpenAiFake } from '../support/fakes/openai/index.js';
import { describeNeeding, isSkipped } from '../support/needs.js';

const LIMITS = { maxBytes: 20 * 1024 * 1024, maxSeconds: 1200 };
const TIMEOUT_MS = 30_000;
const noSpeech = isSkipped('espeak-ng', 'opusenc');

/** A ManualClock that remembers the delay of every timer, to read the backoff the transcriber chose. */
class RecordingClock extends ManualClock {
  readonly delays: number[] = [];
  override setTimeout(callback: () => void, delayMs: number): TimerHandle {
    this.delays.push(delayMs);
    return super.setTimeout(callback, delayMs);
  }
  /** The pauses between attempts (every timer except the per-request time limits). */
  get backoffs(): number[] {
    return this.delays.filter((d) => d !== TIMEOUT_MS);
  }
}

/**
 * Runs `work` while moving the clock whenever no answer is awaited from the fake (between attempts) or
 * the only requests in flight are hung ones (so their time limit can pass). Real HTTP happens meanwhile.
 */
async function drive<T>(clock: ManualClock, fake: OpenAiFake, work: Promise<T>): Promise<T> {
  let done = false;
  work.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 3));
    if (done) break;
    if (fake.inFlight === 0) await clock.advance(250);
    else if (fake.inFlight === fake.hanging) await clock.advance(2_500);
  }
  return work;
}

let fake: OpenAiFake;
let audio: TestAudio;
let note: { wav: Uint8Array; prepared: PreparedAudio } | undefined;
let longNote: { wav: Uint8Array; prepared: PreparedAudio } | undefined;

beforeAll(async () => {
  audio = await createTestAudio();
  if (noSpeech) return;
  const make = async (text: string) => {
    const wavPath = await audio.speak(text);
    const prepared = await prepareAudio(await readBytes(await audio.toOggOpus(wavPath)), LIMITS);
    return { wav: await readBytes(wavPath), prepared };
  };
  note = await make('Remind me to call John tomorrow at five.');
  longNote = await make('Remind me to call John tomorrow at five. Send Acme the proposal by Friday. Then book the big meeting room for Monday morning.');
});

afterAll(async () => {
  await audio.dispose();
});

beforeEach(async () => {
  fake = await new OpenAiFake().start();
});

afterEach(async () => {
  await fake.stop();
});

function transcriber(clock: Clock, overrides: Partial<OpenAiTranscriberOptions> = {}): OpenAiTranscriber {
  return new OpenAiTranscriber({ apiKey: fake.apiKey, baseUrl: fake.url, model: 'whisper-1', chunkSeconds: 600, clock, timeoutMs: TIMEOUT_MS, ...overrides });
}

/** One second of a quiet tone: enough for tests that are about HTTP, not speech. */
function tone(seconds = 1): PreparedAudio {
  const pcm = new Int16Array(16_000 * seconds).map((_, i) => Math.round(3000 * Math.sin((2 * Math.PI * 300 * i) / 16_000)));
  return { format: 'wav', pcm, sampleRate: 16_000, durationSeconds: seconds };
}

describeNeeding('espeak-ng', 'opusenc')('OpenAiTranscriber with real speech', () => {
  it('uploads the note as 16 kHz mono 16-bit WAV of the original duration and returns the text', async () => {
    fake.expect('Remind me to call John tomorrow at five.');
    const result = await transcriber(new SystemClock()).transcribe(note!.prepared, { language: 'en' });
    expect(result).toEqual({ text: 'Remind me to call John tomorrow at five.', chunks: 1, provider: 'openai' });
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request).toMatchObject({ model: 'whisper-1', language: 'en', responseFormat: 'json', filename: 'audio.wav', fileContentType: 'audio/wav' });
    expect(request).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16, audioFormat: 1 });
    expect(Math.abs(request.durationSeconds - durationOf(note!.wav))).toBeLessThan(0.05);
    expect(request.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    // What arrived is the speech itself, sample for sample.
    expect(Array.from(request.samples.subarray(8000, 8100))).toEqual(Array.from(note!.prepared.pcm.subarray(8000, 8100)));
  });

  it('splits a note longer than chunkSeconds at quiet points and joins the texts in order', async () => {
    const { prepared } = longNote!;
    expect(prepared.durationSeconds).toBeGreaterThan(6);
    fake.respondWith((request) => `part ${request.index + 1}.`);
    const result = await transcriber(new SystemClock(), { chunkSeconds: 2 }).transcribe(prepared);

    const requests = fake.requests;
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(result.chunks).toBe(requests.length);
    expect(result.text).toBe(requests.map((_, i) => `part ${i + 1}.`).join(' '));
    for (const request of requests) {
      expect(request.durationSeconds).toBeLessThanOrEqual(2);
      expect(request.durationSeconds).toBeGreaterThanOrEqual(requests.indexOf(request) === requests.length - 1 ? 0 : 1);
    }
    // Nothing lost or repeated: the pieces add up to the note, and put back together they are the note.
    const total = requests.reduce((sum, r) => sum + r.samples.length, 0);
    expect(total).toBe(prepared.pcm.length);
    expect(requests.reduce((sum, r) => sum + r.durationSeconds, 0)).toBeCloseTo(prepared.durationSeconds, 6);
    // Each cut is in a pause: the 20 ms around it are far quieter than the note as a whole.
    let at = 0;
    for (const request of requests.slice(0, -1)) {
      at += request.samples.length;
      expect(rms(prepared.pcm, at - 160, at + 160)).toBeLessThan(rms(prepared.pcm) * 0.1);
    }
  });
});

describe('OpenAiTranscriber: retries on the injected clock', () => {
  it('waits as long as retry-after says after a 429, then succeeds', async () => {
    const clock = new RecordingClock();
    fake.rateLimited(7).expect('after the wait');
    const result = await drive(clock, fake, transcriber(clock).transcribe(tone()));
    expect(result.text).toBe('after the wait');
    expect(fake.requests).toHaveLength(2);
    expect(clock.backoffs).toEqual([7000]);
  });

  it('prefers retry-after-ms when OpenAI sends it', async () => {
    const clock = new RecordingClock();
    fake.rateLimited(2, { retryAfterMs: 1234 }).expect('ok');
    await drive(clock, fake, transcriber(clock).transcribe(tone()));
    expect(clock.backoffs).toEqual([1234]);
  });

  it('backs off exponentially through two 500s, then succeeds', async () => {
    const clock = new RecordingClock();
    fake.serverError().times(2).expect('third time lucky');
    const result = await drive(clock, fake, transcriber(clock).transcribe(tone()));
    expect(result.text).toBe('third time lucky');
    expect(fake.requests).toHaveLength(3);
    expect(clock.backoffs).toEqual([1000, 2000]);
  });

  it('gives up after a bounded number of attempts with a typed error', async () => {
    const clock = new RecordingClock();
    fake.serverError().times(10);
    const error = await drive(clock, fake, transcriber(clock, { maxRetries: 3 }).transcribe(tone())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptionFailedError);
    const failed = error as TranscriptionFailedError;
    expect(failed).toMatchObject({ code: 'transcription_failed', reason: 'http', attempts: 4, httpStatus: 500 });
    expect(failed.message).toContain('HTTP 500: The server had an error while processing your request');
    expect(failed.message).toContain('after 4 attempts');
    expect(fake.requests).toHaveLength(4);
    expect(clock.backoffs).toEqual([1000, 2000, 4000]);
  });

  it('caps a long retry-after at maxDelayMs', async () => {
    const clock = new RecordingClock();
    fake.rateLimited(3600).expect('ok');
    await drive(clock, fake, transcriber(clock, { maxDelayMs: 20_000 }).transcribe(tone()));
    expect(clock.backoffs).toEqual([20_000]);
  });

  it('times a hung request out and tries again', async () => {
    const clock = new RecordingClock();
    fake.hang(60_000).expect('answered on the second try');
    const result = await drive(clock, fake, transcriber(clock).transcribe(tone()));
    expect(result.text).toBe('answered on the second try');
    expect(fake.requests).toHaveLength(2);
    expect(clock.backoffs).toEqual([1000]);
  });

  it('reports a timeout when every attempt hangs', async () => {
    const clock = new RecordingClock();
    fake.hang(600_000).times(3);
    const error = await drive(clock, fake, transcriber(clock, { maxRetries: 2 }).transcribe(tone())).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'transcription_failed', reason: 'timeout', attempts: 3 });
    expect((error as Error).message).toContain('within 30 s');
  });
});

describe('OpenAiTranscriber: answers that are not retried', () => {
  it('stops at once on a refused key (401)', async () => {
    const error = await new OpenAiTranscriber({ apiKey: 'sk-wrong-key-000000', baseUrl: fake.url, model: 'whisper-1', chunkSeconds: 600, clock: new SystemClock() })
      .transcribe(tone())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptionAuthError);
    expect((error as TranscriptionAuthError).code).toBe('transcription_unauthorized');
    expect((error as Error).message).toContain('Check OPENAI_API_KEY');
    expect(fake.rejected).toHaveLength(1);
  });

  it('stops at once on a 400 and passes on the provider message', async () => {
    fake.error(400, 'Audio file is too short. Minimum audio length is 0.1 seconds.');
    const error = await transcriber(new SystemClock()).transcribe(tone()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'transcription_failed', reason: 'http', attempts: 1, httpStatus: 400 });
    expect((error as Error).message).toContain('Minimum audio length is 0.1 seconds');
    expect(fake.requests).toHaveLength(1);
  });

  it('explains a 404 (a base URL without /v1, or whisper.cpp on /inference)', async () => {
    const error = await transcriber(new SystemClock(), { baseUrl: fake.url.replace(/\/v1$/, '') }).transcribe(tone()).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'http', httpStatus: 404 });
    expect((error as Error).message).toContain('--inference-path /v1/audio/transcriptions');
  });

  it('refuses a 200 answer that is not the documented JSON', async () => {
    const html = async () => new Response('<html>proxy login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const error = await transcriber(new SystemClock(), { fetch: html }).transcribe(tone()).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'bad_response', attempts: 1 });
  });

  it('retries network failures, then reports them', async () => {
    const url = fake.url;
    await fake.stop(); // nothing listens on that port any more
    const clock = new RecordingClock();
    const work = new OpenAiTranscriber({ apiKey: 'sk-anything-123456', baseUrl: url, model: 'whisper-1', chunkSeconds: 600, clock, maxRetries: 2, timeoutMs: TIMEOUT_MS }).transcribe(tone());
    let done = false;
    work.catch(() => undefined).finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 3));
      await clock.advance(500);
    }
    const error = await work.catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'network', attempts: 3 });
    expect((error as Error).message).toMatch(/could not be reached: ECONNREFUSED/);
    fake = await new OpenAiFake().start(); // for afterEach
  });
});

describe('OpenAiTranscriber: logs', () => {
  it('logs retries without the key or the audio', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger({ level: 'debug', stream }); // no secrets given: nothing to redact with
    const clock = new RecordingClock();
    fake.serverError().expect('fine');
    await drive(clock, fake, transcriber(clock, { logger }).transcribe(tone()));
    const log = lines.join('');
    expect(log).toContain('transcription request failed; retrying');
    expect(log).toContain('voice note transcribed');
    expect(log).not.toContain(fake.apiKey);
    expect(log).not.toContain('RIFF');
    expect(log.length).toBeLessThan(2000);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    const now = Date.parse('2026-01-05T09:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 05 Jan 2026 09:00:10 GMT' }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '1' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

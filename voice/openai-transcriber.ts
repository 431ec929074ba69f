import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { retry } from '../core/index.js';
import type { Logger } from '../core/logger.js';
import { encodeWav } from './encode-wav.js';
import type { PreparedAudio } from './prepare-audio.js';
import { splitIntoChunks } from './split-into-chunks.js';
import type { TranscribeOptions, Transcriber, Transcription } from './transcriber.js';
import { TranscriptionAuthError, TranscriptionFailedError, type TranscriptionFailure } from './transcription-errors.js';

export const OpenAiTranscriberOptionsSchema = z.object({
  /** Sent as `Authorization: Bearer …`; any string for a local server that ignores it. */
  apiKey: z.string().min(1),
  /** Up to and including the version, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** whisper-1, gpt-4o-mini-transcribe, gpt-4o-transcribe; a local server's own model name. */
  model: z.string().min(1),
  /** Longest piece of audio per request (TRANSCRIBE_CHUNK_SECONDS); 16 kHz 16-bit WAV is 1.92 MB a minute. */
  chunkSeconds: z.number().positive(),
  /** Retries after the first attempt, for 408/409/429/5xx, network errors and timeouts (default 3). */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** Per-request time limit (default 120 s: a self-hosted CPU server may take a while for a long chunk). */
  timeoutMs: z.number().int().positive().default(120_000),
  /** First backoff delay, doubled for each retry (default 1 s). */
  baseDelayMs: z.number().int().min(0).default(1_000),
  /** Longest pause between attempts, whatever backoff or `retry-after` say (default 60 s). */
  maxDelayMs: z.number().int().min(0).default(60_000),
});

export type OpenAiTranscriberOptions = z.input<typeof OpenAiTranscriberOptionsSchema> & {
  clock: Clock;
  logger?: Logger;
  /** The fetch implementation (default: Node's global fetch). */
  fetch?: typeof fetch;
};

/** The documented answer to `response_format=json`; servers may add fields (usage, language, segments). */
const TranscriptionResponseSchema = z.object({ text: z.string() }).loose();
/** OpenAI's error body, also used by LocalAI and faster-whisper servers. */
const ErrorResponseSchema = z.object({ error: z.object({ message: z.string().optional() }).loose() }).loose();

/** Statuses worth another attempt (as the OpenAI SDKs do). */
const RETRYABLE_STATUS = new Set([408, 409, 429]);

type Attempt =
  | { ok: true; text: string }
  | { ok: false; retryable: boolean; retryAfterMs?: number; error: Error | ((attempts: number) => Error) };

/**
 * Transcribes through an OpenAI-compatible `POST {baseUrl}/audio/transcriptions`: OpenAI itself, or a
 * self-hosted Whisper server (whisper.cpp's `whisper-server --inference-path /v1/audio/transcriptions`,
 * faster-whisper servers such as speaches, LocalAI). The request is `multipart/form-data` with `file`
 * (a 16 kHz mono 16-bit WAV named `audio.wav`), `model`, `response_format=json` and, when given,
 * `language`; the answer is `{ "text": … }`.
 *
 * Notes longer than `chunkSeconds` are split at quiet points and sent one chunk at a time, in order;
 * the texts are joined with a space. Each request has a time limit and is retried (429 honouring
 * `retry-after-ms`/`retry-after`, 408/409/5xx, network errors, timeouts) with exponential backoff on
 * the injected clock, a bounded number of times. The audio and the key are never logged.
 *
 * @example
 * const transcriber = new OpenAiTranscriber({ apiKey, baseUrl: 'https://api.openai.com/v1', model: 'whisper-1', chunkSeconds: 600, clock });
 * const { text } = await transcriber.transcribe(await prepareAudio(bytes, limits));
 */
export class OpenAiTranscriber implements Transcriber {
  readonly provider = 'openai';
  private readonly options: z.output<typeof OpenAiTranscriberOptionsSchema>;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly fetch: typeof fetch;
  private readonly url: string;

  constructor(options: OpenAiTranscriberOptions) {
    const { clock, logger, fetch: fetchImpl, ...rest } = options;
    this.options = OpenAiTranscriberOptionsSchema.parse(rest);
    this.clock = clock;
    this.logger = logger;
    this.fetch = fetchImpl ?? globalThis.fetch;
    this.url = `${this.options.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`;
  }

  async transcribe(audio: PreparedAudio, options: TranscribeOptions = {}): Promise<Transcription> {
    const language = options.language === undefined ? undefined : z.string().regex(/^[a-zA-Z]{2,3}$/, 'an ISO-639-1 code such as en').parse(options.language);
    if (audio.pcm.length === 0) return { text: '', chunks: 0, provider: this.provider };
    const chunks = splitIntoChunks(audio.pcm, audio.sampleRate, this.options.chunkSeconds);
    const texts: string[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const wav = encodeWav(audio.pcm.subarray(chunk.start, chunk.end), audio.sampleRate);
      const context = { chunk: index + 1, of: chunks.length, seconds: round((chunk.end - chunk.start) / audio.sampleRate) };
      texts.push(await this.requestWithRetries(wav, language, context));
    }
    const text = texts.map((t) => t.trim()).filter(Boolean).join(' ');
    this.logger?.debug({ provider: this.provider, model: this.options.model, chunks: chunks.length, seconds: round(audio.durationSeconds), chars: text.length }, 'voice note transcribed');
    return { text, chunks: chunks.length, provider: this.provider };
  }

  /**
   * The service's one retry helper (core/retry.ts). Without jitter (`random` is 1): one person's note
   * is retried, not a crowd's, so there is no herd to spread and the backoff stays exact. A long
   * retry-after is capped at `maxDelayMs` rather than given up on: someone is waiting for the answer.
   */
  private async requestWithRetries(wav: Uint8Array<ArrayBuffer>, language: string | undefined, context: Record<string, number>): Promise<string> {
    const { maxRetries, baseDelayMs, maxDelayMs } = this.options;
    let last: Extract<Attempt, { ok: false }> | undefined;
    return retry(
      async (attempt) => {
        const outcome = await this.requestOnce(wav, language);
        if (outcome.ok) return outcome.text;
        last = outcome;
        throw typeof outcome.error === 'function' ? outcome.error(attempt) : outcome.error;
      },
      {
        clock: this.clock,
        policy: { attempts: maxRetries + 1, baseMs: baseDelayMs, maxBackoffMs: maxDelayMs, maxWaitMs: maxDelayMs, random: () => 1 },
        longWait: 'cap',
        classify: () => ({ retryable: last?.retryable ?? false, ...(last?.retryAfterMs !== undefined ? { retryAfterMs: last.retryAfterMs } : {}) }),
        onRetry: ({ attempt, delayMs, error }) =>
          this.logger?.warn({ ...context, attempt, delayMs, err: (error as Error).message }, 'transcription request failed; retrying'),
      },
    );
  }

  private async requestOnce(wav: Uint8Array<ArrayBuffer>, language: string | undefined): Promise<Attempt> {
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const form = new FormData();
      form.append('file', new Blob([wav], { type: 'audio/wav' }), 'audio.wav');
      form.append('model', this.options.model);
      form.append('response_format', 'json');
      if (language) form.append('language', language.toLowerCase());
      const response = await this.fetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' },
        body: form,
        signal: controller.signal,
      });
      const body = await response.text();
      if (response.ok) return this.parseSuccess(body);
      return this.classifyHttpError(response, body);
    } catch (error) {
      const reason: TranscriptionFailure = controller.signal.aborted ? 'timeout' : 'network';
      const detail =
        reason === 'timeout'
          ? `no answer from ${this.describeServer()} within ${Math.round(this.options.timeoutMs / 1000)} s`
          : `${this.describeServer()} could not be reached: ${describeNetworkError(error)}`;
      return { ok: false, retryable: true, error: (attempts) => new TranscriptionFailedError(reason, attempts, detail, undefined, { cause: error }) };
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private parseSuccess(body: string): Attempt {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { ok: false, retryable: false, error: (attempts) => new TranscriptionFailedError('bad_response', attempts, `${this.describeServer()} answered something that is not JSON`) };
    }
    const parsed = TranscriptionResponseSchema.safeParse(json);
    if (!parsed.success) {
      return { ok: false, retryable: false, error: (attempts) => new TranscriptionFailedError('bad_response', attempts, `${this.describeServer()} answered JSON without a "text" field`) };
    }
    return { ok: true, text: parsed.data.text };
  }

  private classifyHttpError(response: Response, body: string): Attempt {
    const status = response.status;
    const providerMessage = errorMessageOf(body);
    if (status === 401 || status === 403) return { ok: false, retryable: false, error: new TranscriptionAuthError(status, providerMessage) };
    const retryable = RETRYABLE_STATUS.has(status) || status >= 500;
    let detail = `${this.describeServer()} answered HTTP ${status}${providerMessage ? `: ${providerMessage}` : ''}`;
    if (status === 404) detail += ` (is ${this.url} the transcription endpoint? For whisper.cpp's server, start it with --inference-path /v1/audio/transcriptions)`;
    if (status === 413) detail += ' (lower TRANSCRIBE_CHUNK_SECONDS so each request is smaller)';
    return {
      ok: false,
      retryable,
      retryAfterMs: retryable ? retryAfterMs(response.headers, this.clock.now()) : undefined,
      error: (attempts) => new TranscriptionFailedError('http', attempts, detail, status),
    };
  }

  /** The server's origin only: never the key, never a full URL with credentials in it. */
  private describeServer(): string {
    try {
      return `the transcription service at ${new URL(this.url).host}`;
    } catch {
      return 'the transcription service';
    }
  }
}

/** `retry-after-ms` (OpenAI), then `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function errorMessageOf(body: string): string | undefined {
  try {
    const parsed = ErrorResponseSchema.safeParse(JSON.parse(body));
    if (parsed.success && parsed.data.error.message) return parsed.data.error.message.slice(0, 300);
  } catch {
    // not JSON: a proxy's HTML page, a plain-text error
  }
  const text = body.trim();
  return text && !text.startsWith('<') ? text.slice(0, 200) : undefined;
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' ? `${code} (${message})` : message;
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

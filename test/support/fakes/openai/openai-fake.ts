import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspectWav, type InspectedWav } from './inspect-wav.js';
import { boundaryOf, MultipartError, parseMultipart, type MultipartPart } from './multipart.js';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of OpenAI's speech-to-text endpoint, `POST /v1/audio/transcriptions`, as a real HTTP server on
 * 127.0.0.1. Switchboard's OpenAiTranscriber is pointed at it with `baseUrl: fake.url` (…/v1).
 *
 * It checks what it receives as the API does, in the API's error shape
 * `{"error": {"message", "type", "param", "code"}}`:
 * - `Authorization: Bearer <key>` → 401 (missing key / `invalid_api_key`);
 * - a `multipart/form-data` body with a boundary, well formed (its own strict parser) → 400;
 * - a `file` part whose filename has a supported extension, and a `model` field → 400;
 * - a body over 25 MB (26,214,400 bytes) → 413, as OpenAI answers it;
 * - `response_format` json (default), text or verbose_json (srt/vtt are not faked) → 400 otherwise.
 * And one rule stricter than OpenAI (`requirePcm16kMono`, default on): the file must decode as a WAV of
 * 16 kHz, mono, 16-bit PCM, since that is what Switchboard promises to send. The decoded format and
 * duration of every accepted request are recorded, so tests can compare them with the original note.
 *
 * Answers come from a script (`expect(text)`, `rateLimited(s)`, `serverError()`, `hang(ms)`, `times(n)`),
 * then from `respondWith(fn)` when the script is empty; with neither, 500 and `unscripted` counts it.
 *
 * @example
 * const fake = await new OpenAiFake().start();
 * fake.rateLimited(2).expect('remind me to call John');
 * const transcriber = new OpenAiTranscriber({ apiKey: fake.apiKey, baseUrl: fake.url, model: 'whisper-1', chunkSeconds: 600, clock });
 * …
 * expect(fake.requests[0]!.durationSeconds).toBeCloseTo(4.54, 1);
 * await fake.stop();
 */

export const FAKE_OPENAI_API_KEY = 'sk-proj-fake-key-for-switchboard-tests-000000';
/** OpenAI's request size limit for audio uploads. */
export const OPENAI_MAX_UPLOAD_BYTES = 26_214_400;
/** The extensions OpenAI's transcription endpoint accepts (it decides the format from the file name). */
export const OPENAI_AUDIO_EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'] as const;

export interface TranscriptionRequest {
  /** Arrival order, from 0, counting accepted requests only. */
  index: number;
  model: string;
  language: string | undefined;
  responseFormat: string;
  filename: string;
  fileContentType: string | undefined;
  fileBytes: number;
  /** What the fake decoded from the file. */
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  audioFormat: number;
  durationSeconds: number;
  /** The decoded 16-bit samples (interleaved), for tests that look at the signal. */
  samples: Int16Array;
  /** Every form field except the file. */
  fields: Record<string, string>;
  headers: Record<string, string | undefined>;
}

export interface RejectedRequest {
  status: number;
  type: string;
  code: string | null;
  message: string;
}

type Behaviour =
  | { kind: 'text'; text: string }
  | { kind: 'error'; status: number; type: string; code: string | null; message: string; headers?: Record<string, string> }
  | { kind: 'hang'; ms: number; then: Behaviour };

export interface OpenAiFakeOptions {
  apiKey?: string;
  /** Refuse files that are not 16 kHz mono 16-bit PCM WAV (stricter than OpenAI). Default true. */
  requirePcm16kMono?: boolean;
}

export class OpenAiFake {
  readonly apiKey: string;
  readonly requests: TranscriptionRequest[] = [];
  readonly rejected: RejectedRequest[] = [];
  /** Accepted requests that found nothing scripted. */
  unscripted = 0;
  /** Requests received whose answer has not been sent yet. */
  inFlight = 0;
  private readonly hung = new Set<ServerResponse>();

  private readonly requirePcm16kMono: boolean;
  private readonly script: Behaviour[] = [];
  private responder: ((request: TranscriptionRequest) => string) | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: LoopbackServer | undefined;
  private port = 0;

  constructor(options: OpenAiFakeOptions = {}) {
    this.apiKey = options.apiKey ?? FAKE_OPENAI_API_KEY;
    this.requirePcm16kMono = options.requirePcm16kMono ?? true;
  }

  /** The base URL to configure (OPENAI_BASE_URL): the client appends `/audio/transcriptions`. */
  get url(): string {
    if (!this.server) throw new Error('OpenAiFake is not started');
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => {
      this.inFlight++;
      res.on('close', () => this.inFlight--);
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendError(res, 500, 'server_error', null, `OpenAI fake failed: ${String(error)}`);
      });
    });
    this.port = this.server.port;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  // --- scripting ---

  /** The next accepted request is answered with this transcript. */
  expect(text: string): this {
    return this.push({ kind: 'text', text });
  }

  /** When the script is empty, answer with this function of the request (its index, duration…). */
  respondWith(responder: (request: TranscriptionRequest) => string): this {
    this.responder = responder;
    return this;
  }

  /** 429 as OpenAI sends it, with `retry-after` in seconds (and `retry-after-ms` when given). */
  rateLimited(retryAfterSeconds: number, options: { retryAfterMs?: number } = {}): this {
    const headers: Record<string, string> = { 'retry-after': String(retryAfterSeconds) };
    if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
    return this.push({
      kind: 'error',
      status: 429,
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: `Rate limit reached for whisper-1 in organization org-fake on requests per min (RPM): Limit 50, Used 50, Requested 1. Please try again in ${retryAfterSeconds}s.`,
      headers,
    });
  }

  /** 500 `server_error`. */
  serverError(): this {
    return this.push({ kind: 'error', status: 500, type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' });
  }

  /** Any error status and message, in OpenAI's shape. */
  error(status: number, message: string, type = 'invalid_request_error', code: string | null = null): this {
    return this.push({ kind: 'error', status, type, code, message });
  }

  /** Answers `text` only after `ms` (to trip a client's timeout); a client that gave up gets nothing. */
  hang(ms: number, text = 'sorry for the wait'): this {
    return this.push({ kind: 'hang', ms, then: { kind: 'text', text } });
  }

  /** Repeats the last scripted behaviour so it happens `count` times in all. */
  times(count: number): this {
    const last = this.script.at(-1);
    if (!last) throw new Error('Nothing to repeat');
    for (let i = 1; i < count; i++) this.script.push(last);
    return this;
  }

  get pending(): number {
    return this.script.length;
  }

  /** Requests held open by `hang()` right now (a test moving a ManualClock may let their clients time out). */
  get hanging(): number {
    return this.hung.size;
  }

  private push(behaviour: Behaviour): this {
    this.script.push(behaviour);
    return this;
  }

  // --- the endpoint ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'POST' || path !== '/v1/audio/transcriptions') {
      await drain(req);
      return this.refuse(res, 404, 'invalid_request_error', null, `Invalid URL (${req.method} ${path})`);
    }

    const authorization = req.headers.authorization;
    if (!authorization) {
      await drain(req);
      return this.refuse(
        res,
        401,
        'invalid_request_error',
        null,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      );
    }
    if (authorization !== `Bearer ${this.apiKey}`) {
      await drain(req);
      const shown = authorization.replace(/^Bearer\s+/i, '');
      return this.refuse(
        res,
        401,
        'invalid_request_error',
        'invalid_api_key',
        `Incorrect API key provided: ${shown.slice(0, 3)}${'*'.repeat(Math.max(0, shown.length - 7))}${shown.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      );
    }

    const body = await readBody(req, OPENAI_MAX_UPLOAD_BYTES);
    if (body.tooLarge) {
      return this.refuse(res, 413, 'server_error', null, `Maximum content size limit (${OPENAI_MAX_UPLOAD_BYTES}) exceeded (${body.bytesRead} bytes read)`);
    }

    let parts: MultipartPart[];
    try {
      parts = parseMultipart(body.data, boundaryOf(req.headers['content-type']));
    } catch (error) {
      if (!(error instanceof MultipartError)) throw error;
      const contentType = req.headers['content-type'] ?? '';
      const message = contentType.toLowerCase().startsWith('multipart/form-data')
        ? `Could not parse multipart form: ${error.message}`
        : `Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data. (HINT: If you're using curl, you can pass -H 'Content-Type: multipart/form-data')`;
      return this.refuse(res, 400, 'invalid_request_error', null, message);
    }

    const fields: Record<string, string> = {};
    let file: MultipartPart | undefined;
    for (const part of parts) {
      if (part.name === 'file' && part.filename !== undefined) file = part;
      else fields[part.name] = part.data.toString('utf8');
    }
    if (!file) return this.refuse(res, 400, 'invalid_request_error', null, "1 validation error for Request\nbody -> file\n  field required (type=value_error.missing)", 'file');
    const model = fields.model;
    if (!model) return this.refuse(res, 400, 'invalid_request_error', null, 'you must provide a model parameter', 'model');
    const extension = file.filename?.split('.').pop()?.toLowerCase() ?? '';
    if (!(OPENAI_AUDIO_EXTENSIONS as readonly string[]).includes(extension)) {
      return this.refuse(res, 400, 'invalid_request_error', null, `Invalid file format. Supported formats: [${OPENAI_AUDIO_EXTENSIONS.map((e) => `'${e}'`).join(', ')}]`, 'file');
    }
    const responseFormat = fields.response_format ?? 'json';
    if (!['json', 'text', 'verbose_json'].includes(responseFormat)) {
      return this.refuse(res, 400, 'invalid_request_error', null, `response_format ${responseFormat} is not supported by the OpenAI fake (json, text, verbose_json)`, 'response_format');
    }

    let wav: InspectedWav;
    try {
      wav = inspectWav(file.data);
    } catch (error) {
      if (!this.requirePcm16kMono) wav = { audioFormat: 0, channels: 0, sampleRate: 0, bitsPerSample: 0, frames: 0, durationSeconds: 0, samples: new Int16Array(0) };
      else return this.refuse(res, 400, 'invalid_request_error', 'invalid_value', `Audio file might be corrupted or unsupported (OpenAI fake: ${(error as Error).message})`, 'file');
    }
    if (this.requirePcm16kMono && (wav.audioFormat !== 1 || wav.sampleRate !== 16_000 || wav.channels !== 1 || wav.bitsPerSample !== 16)) {
      return this.refuse(
        res,
        400,
        'invalid_request_error',
        'invalid_value',
        `OpenAI fake rule: Switchboard must send 16 kHz mono 16-bit PCM WAV; got format ${wav.audioFormat}, ${wav.sampleRate} Hz, ${wav.channels} channel(s), ${wav.bitsPerSample}-bit`,
        'file',
      );
    }

    const request: TranscriptionRequest = {
      index: this.requests.length,
      model,
      language: fields.language,
      responseFormat,
      filename: file.filename!,
      fileContentType: file.contentType,
      fileBytes: file.data.length,
      sampleRate: wav.sampleRate,
      channels: wav.channels,
      bitsPerSample: wav.bitsPerSample,
      audioFormat: wav.audioFormat,
      durationSeconds: wav.durationSeconds,
      samples: wav.samples,
      fields,
      headers: flattenHeaders(req),
    };
    this.requests.push(request);
    const behaviour = this.script.shift() ?? (this.responder ? { kind: 'text' as const, text: this.responder(request) } : undefined);
    if (!behaviour) {
      this.unscripted++;
      return this.sendError(res, 500, 'server_error', null, 'OpenAI fake: no scripted response left for this request');
    }
    this.respond(res, behaviour, request);
  }

  private respond(res: ServerResponse, behaviour: Behaviour, request: TranscriptionRequest): void {
    switch (behaviour.kind) {
      case 'error':
        return this.sendError(res, behaviour.status, behaviour.type, behaviour.code, behaviour.message, undefined, behaviour.headers);
      case 'hang': {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.hung.delete(res);
          if (!res.destroyed && !res.socket?.destroyed) this.respond(res, behaviour.then, request);
        }, behaviour.ms);
        this.timers.add(timer);
        return;
      }
      case 'text':
        if (request.responseFormat === 'text') return this.send(res, 200, `${behaviour.text}\n`, 'text/plain; charset=utf-8');
        if (request.responseFormat === 'verbose_json') {
          return this.sendJson(res, 200, {
            task: 'transcribe',
            language: request.language ?? 'english',
            duration: request.durationSeconds,
            text: behaviour.text,
            segments: [],
            usage: { type: 'duration', seconds: Math.ceil(request.durationSeconds) },
          });
        }
        return this.sendJson(res, 200, { text: behaviour.text, usage: { type: 'duration', seconds: Math.ceil(request.durationSeconds) } });
    }
  }

  private refuse(res: ServerResponse, status: number, type: string, code: string | null, message: string, param: string | null = null): void {
    this.rejected.push({ status, type, code, message });
    this.sendError(res, status, type, code, message, param);
  }

  private sendError(
    res: ServerResponse,
    status: number,
    type: string,
    code: string | null,
    message: string,
    param: string | null = null,
    headers: Record<string, string> = {},
  ): void {
    this.sendJson(res, status, { error: { message, type, param, code } }, headers);
  }

  private sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    this.send(res, status, JSON.stringify(payload), 'application/json', headers);
  }

  private send(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'x-request-id': `req_${randomBytes(12).toString('hex')}`,
      'openai-processing-ms': '12',
      ...headers,
    });
    res.end(body);
  }
}

// --- helpers ---

/** Reads the body, keeping at most `limit` bytes; beyond it, keeps reading (so the client is not cut off) and counts. */
async function readBody(req: IncomingMessage, limit: number): Promise<{ data: Buffer; tooLarge: boolean; bytesRead: number }> {
  const chunks: Buffer[] = [];
  let bytesRead = 0;
  for await (const chunk of req) {
    bytesRead += (chunk as Buffer).length;
    if (bytesRead <= limit) chunks.push(chunk as Buffer);
  }
  return { data: Buffer.concat(chunks), tooLarge: bytesRead > limit, bytesRead };
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pcmWav } from '../../audio.js';
import { boundaryOf, MultipartError, OPENAI_MAX_UPLOAD_BYTES, OpenAiFake, parseMultipart } from './index.js';

/** The fake must refuse what OpenAI refuses (and what Switchboard must never send), or tests against it prove nothing. */

let fake: OpenAiFake;

beforeEach(async () => {
  fake = await new OpenAiFake().start();
});

afterEach(async () => {
  await fake.stop();
});

const oneSecond = () => pcmWav(new Int16Array(16_000).map((_, i) => Math.round(4000 * Math.sin(i / 7))), 16_000);

function form(fields: Record<string, string> = { model: 'whisper-1' }, file: { bytes: Uint8Array; name: string; type?: string } | null = { bytes: oneSecond(), name: 'audio.wav', type: 'audio/wav' }) {
  const body = new FormData();
  if (file) body.append('file', new Blob([new Uint8Array(file.bytes)], file.type ? { type: file.type } : {}), file.name);
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

async function post(body: FormData | string, headers: Record<string, string> = { authorization: `Bearer ${fake.apiKey}` }, path = '/audio/transcriptions') {
  const response = await fetch(`${fake.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** OpenAI's error body: exactly these four fields, `param` and `code` possibly null. */
function expectErrorShape(json: any, type: string): void {
  expect(Object.keys(json)).toEqual(['error']);
  expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(json.error.type).toBe(type);
  expect(typeof json.error.message).toBe('string');
}

describe('OpenAiFake: authentication and routing', () => {
  it('answers 401 in OpenAI\'s error shape for a missing or wrong key', async () => {
    const missing = await post(form(), {});
    const wrong = await post(form(), { authorization: 'Bearer sk-proj-not-the-key-1234' });
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ error: { message: expect.stringContaining("You didn't provide an API key"), type: 'invalid_request_error', param: null, code: null } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(wrong.json.error.message).toContain('Incorrect API key provided: sk-');
    expect(wrong.json.error.message).not.toContain('sk-proj-not-the-key-1234');
    expect(fake.requests).toHaveLength(0);
  });

  it('answers 404 Invalid URL elsewhere', async () => {
    const answer = await post(form(), undefined, '/audio/translations');
    expect(answer.status).toBe(404);
    expect(answer.json.error.message).toBe('Invalid URL (POST /v1/audio/translations)');
  });
});

describe('OpenAiFake: the multipart body', () => {
  it('refuses a JSON body', async () => {
    const answer = await post(JSON.stringify({ model: 'whisper-1' }), { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toContain('expected multipart/form-data');
  });

  it('refuses a multipart body cut short', async () => {
    const body = '--XyZ\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF';
    const answer = await post(body, { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'multipart/form-data; boundary=XyZ' });
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toContain('not terminated by a boundary');
  });

  it('requires file and model', async () => {
    const noFile = await post(form({ model: 'whisper-1' }, null));
    expect(noFile.status).toBe(400);
    expectErrorShape(noFile.json, 'invalid_request_error');
    expect(noFile.json.error.param).toBe('file');
    const noModel = await post(form({}));
    expect(noModel.status).toBe(400);
    expect(noModel.json.error.message).toBe('you must provide a model parameter');
  });

  it('requires a supported file extension, as OpenAI reads the format from the name', async () => {
    const answer = await post(form({ model: 'whisper-1' }, { bytes: oneSecond(), name: 'audio.raw' }));
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toMatch(/^Invalid file format\. Supported formats: \['flac', 'm4a'/);
  });

  it('refuses a file that is not 16 kHz mono 16-bit PCM WAV (its rule, stricter than OpenAI)', async () => {
    const at22k = pcmWav(new Int16Array(22_050), 22_050);
    const stereo = pcmWav(new Int16Array(32_000), 16_000, 2);
    const notWav = new TextEncoder().encode('definitely not a wav file');
    for (const bytes of [at22k, stereo, notWav]) {
      const answer = await post(form({ model: 'whisper-1' }, { bytes, name: 'audio.wav', type: 'audio/wav' }));
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatchObject({ type: 'invalid_request_error', param: 'file', code: 'invalid_value' });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a body over 25 MB with 413, as OpenAI does', async () => {
    const big = new Uint8Array(OPENAI_MAX_UPLOAD_BYTES + 1000);
    const answer = await post(form({ model: 'whisper-1' }, { bytes: big, name: 'audio.wav' }));
    expect(answer.status).toBe(413);
    expect(answer.json.error).toMatchObject({ type: 'server_error', message: expect.stringMatching(/^Maximum content size limit \(26214400\) exceeded \(\d+ bytes read\)$/) });
  });

  it('records what it decoded from an accepted upload', async () => {
    fake.expect('hello');
    const answer = await post(form({ model: 'whisper-1', language: 'en', response_format: 'json' }));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ text: 'hello', usage: { type: 'duration', seconds: 1 } });
    expect(fake.requests[0]).toMatchObject({ model: 'whisper-1', language: 'en', filename: 'audio.wav', fileContentType: 'audio/wav', sampleRate: 16_000, channels: 1, bitsPerSample: 16, durationSeconds: 1 });
  });
});

describe('OpenAiFake: scripted answers', () => {
  it('answers in the requested response_format', async () => {
    fake.expect('one').expect('two').expect('three');
    expect((await post(form({ model: 'whisper-1', response_format: 'text' }))).text).toBe('one\n');
    const verbose = await post(form({ model: 'whisper-1', response_format: 'verbose_json' }));
    expect(verbose.json).toMatchObject({ task: 'transcribe', duration: 1, text: 'two', segments: [] });
    expect((await post(form({ model: 'whisper-1', response_format: 'srt' }))).status).toBe(400);
  });

  it('answers 429 with retry-after, 500, and 500 when nothing is scripted', async () => {
    fake.rateLimited(3, { retryAfterMs: 2500 }).serverError();
    const limited = await post(form());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('retry-after-ms')).toBe('2500');
    expect(limited.json.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect((await post(form())).json.error.type).toBe('server_error');
    expect((await post(form())).status).toBe(500);
    expect(fake.unscripted).toBe(1);
  });

  it('falls back to respondWith when the script is empty', async () => {
    fake.expect('first').respondWith((request) => `request ${request.index} of ${request.durationSeconds} s`);
    expect((await post(form())).json.text).toBe('first');
    expect((await post(form())).json.text).toBe('request 1 of 1 s');
  });
});

describe('parseMultipart', () => {
  it('reads a quoted boundary, a preamble, an epilogue, escaped names and binary data', () => {
    const binary = Buffer.from([0, 13, 10, 45, 45, 255]);
    const body = Buffer.concat([
      Buffer.from('preamble to ignore\r\n--a b\r\nContent-Disposition: form-data; name="note"; filename="my %22quoted%22 file.wav"\r\nContent-Type: audio/wav\r\n\r\n'),
      binary,
      Buffer.from('\r\n--a b\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--a b--\r\nepilogue'),
    ]);
    const parts = parseMultipart(body, boundaryOf('multipart/form-data; boundary="a b"'));
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ name: 'note', filename: 'my "quoted" file.wav', contentType: 'audio/wav' });
    expect(Buffer.compare(parts[0]!.data, binary)).toBe(0);
    expect(parts[1]!.data.toString()).toBe('whisper-1');
  });

  it('refuses bodies without the boundary, or parts without a name', () => {
    expect(() => parseMultipart(Buffer.from('nothing here'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--'), 'b')).toThrow(/has no name/);
    expect(() => boundaryOf('multipart/form-data')).toThrow(/no boundary/);
    expect(() => boundaryOf('application/json')).toThrow(/not multipart/);
  });
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Clock, SystemClock } from '../core/clock.js';
import { AudioCorruptError, AudioDecodeTimeoutError, FfmpegMissingError, NotAudioError } from './audio-errors.js';

export type FfmpegFormat = 'mp4' | 'webm' | 'mp3';

export interface FfmpegDecodeOptions {
  format: FfmpegFormat;
  /** Decoding stops one second past this, so an endless file costs no more than the limit. */
  maxSeconds: number;
  /** The ffmpeg executable, found on PATH by default. */
  ffmpegPath?: string;
  /** Kill ffmpeg after this long (default 120 s). */
  timeoutMs?: number;
  clock?: Clock;
  /** Hand ffmpeg a temporary file instead of stdin (MP4 whose index is at the end). */
  viaTempFile?: boolean;
  /** Where that temporary file goes (default: the system's temp folder); it is always removed. */
  tmpDir?: string;
}

export interface FfmpegDecoded {
  /** 16 kHz mono signed 16-bit samples. */
  pcm: Int16Array;
  /** Decoding stopped at the limit: the file is at least this long, maybe longer. */
  cutAtLimit: boolean;
}

export const DEFAULT_FFMPEG_TIMEOUT_MS = 120_000;
const OUTPUT_RATE = 16_000;
/** ffmpeg's demuxer for each format: forced, so ffmpeg reads the file as what the sniffer found. */
const DEMUXER: Record<FfmpegFormat, string> = { mp4: 'mov', webm: 'matroska', mp3: 'mp3' };
const STDERR_KEEP = 4_096;

/**
 * Decodes M4A/MP4, WebM/Matroska or MP3 with ffmpeg: bytes on stdin (or a temp file), 16 kHz mono
 * s16le on stdout, the first audio stream only, a time limit, stderr kept for the error message.
 * ffmpeg's own resampler (swresample) does the rate conversion on this path.
 *
 * @example
 * const { pcm } = await decodeWithFfmpeg(bytes, { format: 'mp3', maxSeconds: 1200 });
 */
export async function decodeWithFfmpeg(bytes: Uint8Array, options: FfmpegDecodeOptions): Promise<FfmpegDecoded> {
  const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
  const clock = options.clock ?? new SystemClock();
  const timeoutMs = options.timeoutMs ?? DEFAULT_FFMPEG_TIMEOUT_MS;
  const limitSeconds = options.maxSeconds + 1;
  let tempDir: string | undefined;
  try {
    let input = 'pipe:0';
    if (options.viaTempFile) {
      tempDir = await mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), 'switchboard-audio-'));
      input = path.join(tempDir, `input.${options.format === 'mp4' ? 'm4a' : options.format}`);
      await writeFile(input, bytes);
    }
    const args = [
      '-hide_banner', '-nostats', '-loglevel', 'error',
      '-f', DEMUXER[options.format], '-i', input,
      '-map', '0:a:0', '-vn', '-sn', '-dn',
      '-t', String(limitSeconds),
      '-ac', '1', '-ar', String(OUTPUT_RATE),
      '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1',
    ];
    const maxOutputBytes = Math.ceil((limitSeconds + 1) * OUTPUT_RATE * 2);
    const output = await run(ffmpegPath, args, options.viaTempFile ? undefined : bytes, { clock, timeoutMs, maxOutputBytes, format: options.format, input });
    const pcm = toInt16(output);
    return { pcm, cutAtLimit: pcm.length >= Math.floor((limitSeconds - 0.05) * OUTPUT_RATE) };
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

interface RunOptions {
  clock: Clock;
  timeoutMs: number;
  maxOutputBytes: number;
  format: FfmpegFormat;
  /** `pipe:0` or the temp file, named "input" in error messages. */
  input: string;
}

function run(command: string, args: string[], stdin: Uint8Array | undefined, options: RunOptions): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const finish = (error: Error | undefined, value?: Buffer) => {
      if (settled) return;
      settled = true;
      options.clock.clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(value!);
    };
    const timer = options.clock.setTimeout(() => finish(new AudioDecodeTimeoutError(options.format, options.timeoutMs)), options.timeoutMs);

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') finish(new FfmpegMissingError(options.format, command, { cause: error }));
      else finish(new AudioCorruptError(options.format, `ffmpeg could not be started: ${error.message}`, { cause: error }));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxOutputBytes) return finish(new AudioCorruptError(options.format, 'ffmpeg produced more audio than the time limit allows'));
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('close', (code, signal) => {
      if (code === 0) return finish(undefined, Buffer.concat(stdout));
      finish(describeFailure(options.format, stderr.split(options.input).join('input'), code, signal));
    });
    // ffmpeg may stop reading early (bad data, or the time limit reached): EPIPE is expected then.
    child.stdin.on('error', () => undefined);
    if (stdin) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

function describeFailure(format: FfmpegFormat, stderr: string, code: number | null, signal: NodeJS.Signals | null): Error {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.some((line) => /matches no streams|does not contain any stream|Output file #0 does not contain/i.test(line))) {
    return new NotAudioError(format === 'mp4' ? 'an MP4 file without an audio track' : `a ${format === 'webm' ? 'WebM' : 'MP3'} file without an audio track`, undefined);
  }
  const detail = lines.at(-1)?.slice(0, 300) ?? (signal ? `ffmpeg was stopped by ${signal}` : `ffmpeg exited with code ${code}`);
  return new AudioCorruptError(format, `ffmpeg: ${detail}`);
}

/** s16le bytes to samples (copied: a Buffer from a pool may sit at an odd offset). */
function toInt16(bytes: Buffer): Int16Array {
  const pcm = new Int16Array(Math.floor(bytes.length / 2));
  new Uint8Array(pcm.buffer).set(bytes.subarray(0, pcm.length * 2));
  if (os.endianness() === 'BE') for (let i = 0; i < pcm.length; i++) pcm[i] = ((pcm[i]! & 0xff) << 8) | ((pcm[i]! >> 8) & 0xff);
  return pcm;
}

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Real test audio, made at test time with Debian's tools into a temporary folder:
 * espeak-ng (speech → WAV), opusenc from opus-tools (WAV → OGG/Opus, as WhatsApp and Telegram send
 * voice notes) and ffmpeg (WAV → M4A, WebM, MP3). CI installs all three; the vitest globalSetup stops the run
 * when one is missing (test/support/requirements.ts), and suites declare what they need with
 * `describeNeeding('espeak-ng', 'opusenc')` (test/support/needs.ts).
 *
 * @example
 * const audio = await createTestAudio();
 * const wav = await audio.speak('remind me to call John tomorrow at five');
 * const ogg = await audio.toOggOpus(wav);
 * durationOf(await readBytes(wav)); // 2.61
 * await audio.dispose();
 */

const run = promisify(execFile);

export interface TestAudio {
  /** The temporary folder holding every file made. */
  readonly dir: string;
  /** Speaks `text` with espeak-ng into a WAV (22.05 kHz mono 16-bit); returns its path. */
  speak(text: string, options?: { wordsPerMinute?: number; voice?: string }): Promise<string>;
  /** WAV → OGG/Opus (opusenc, voice tuning, 24 kbit/s like a phone's voice note). */
  toOggOpus(wav: string): Promise<string>;
  /** WAV → M4A/AAC (ffmpeg). Index at the end by default, as most encoders write it; `faststart` puts it first. */
  toM4a(wav: string, options?: { faststart?: boolean }): Promise<string>;
  /** WAV → WebM/Opus (ffmpeg), as browsers record. */
  toWebm(wav: string): Promise<string>;
  /** WAV → MP3 (ffmpeg with LAME). */
  toMp3(wav: string): Promise<string>;
  /** Writes bytes into the folder; returns the path. */
  write(name: string, bytes: Uint8Array): Promise<string>;
  dispose(): Promise<void>;
}

export async function createTestAudio(): Promise<TestAudio> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-test-audio-'));
  let counter = 0;
  const next = (extension: string) => path.join(dir, `audio-${++counter}.${extension}`);
  const ffmpeg = async (wav: string, extension: string, args: string[]) => {
    const out = next(extension);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, ...args, out]);
    return out;
  };
  return {
    dir,
    async speak(text, options = {}) {
      const out = next('wav');
      const args = ['-w', out, '-s', String(options.wordsPerMinute ?? 165)];
      if (options.voice) args.push('-v', options.voice);
      await run('espeak-ng', [...args, text]);
      return out;
    },
    async toOggOpus(wav) {
      const out = next('ogg');
      await run('opusenc', ['--quiet', '--speech', '--bitrate', '24', wav, out]);
      return out;
    },
    toM4a: (wav, options = {}) => ffmpeg(wav, 'm4a', ['-c:a', 'aac', '-b:a', '64k', ...(options.faststart ? ['-movflags', '+faststart'] : [])]),
    toWebm: (wav) => ffmpeg(wav, 'webm', ['-c:a', 'libopus', '-b:a', '32k']),
    toMp3: (wav) => ffmpeg(wav, 'mp3', ['-c:a', 'libmp3lame', '-b:a', '64k']),
    async write(name, bytes) {
      const out = path.join(dir, name);
      await writeFile(out, bytes);
      return out;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function readBytes(file: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(file));
}

/** The duration of a PCM WAV, in seconds, from its header and data size (its own reader, not voice/'s). */
export function durationOf(wav: Uint8Array): number {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let blockAlign = 0;
  let sampleRate = 0;
  for (let at = 12; at + 8 <= wav.length; ) {
    const id = String.fromCharCode(...wav.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      sampleRate = view.getUint32(at + 12, true);
      blockAlign = view.getUint16(at + 20, true);
    }
    if (id === 'data') return Math.min(size, wav.length - at - 8) / blockAlign / sampleRate;
    at += 8 + size + (size % 2);
  }
  throw new Error('not a WAV file with a data chunk');
}

/** A 16-bit PCM WAV from interleaved samples (for synthetic signals: tones, silence, stereo). */
export function pcmWav(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * 2, 28);
  out.writeUInt16LE(channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** A sine tone as float samples. */
export function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return out;
}

/** Root-mean-square level of samples (floats, or 16-bit scaled to [-1, 1]). */
export function rms(samples: Float32Array | Int16Array, from = 0, to = samples.length): number {
  const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i]! * scale) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

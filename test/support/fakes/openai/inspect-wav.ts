/**
 * The fake's own WAV reader, written apart from voice/'s so that a bug in Switchboard's encoder cannot
 * be hidden by the same bug in the check. Reads RIFF chunks; returns the format and the 16-bit samples.
 */
export interface InspectedWav {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  frames: number;
  durationSeconds: number;
  /** Interleaved samples when the file is 16-bit PCM, otherwise empty. */
  samples: Int16Array;
}

export function inspectWav(bytes: Buffer): InspectedWav {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  const riffSize = bytes.readUInt32LE(4);
  if (riffSize + 8 !== bytes.length) throw new Error(`the RIFF size says ${riffSize + 8} bytes, the file has ${bytes.length}`);
  let fmt: Omit<InspectedWav, 'frames' | 'durationSeconds' | 'samples'> | undefined;
  let blockAlign = 0;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (body + size > bytes.length) throw new Error(`chunk "${id}" runs past the end of the file`);
    if (id === 'fmt ') {
      fmt = {
        audioFormat: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
      blockAlign = bytes.readUInt16LE(body + 12);
      if (bytes.readUInt32LE(body + 8) !== fmt.sampleRate * blockAlign) throw new Error('the byte rate does not match sample rate × block align');
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      if (blockAlign === 0 || size % blockAlign !== 0) throw new Error('the data size is not a whole number of frames');
      const frames = size / blockAlign;
      let samples = new Int16Array(0);
      if (fmt.audioFormat === 1 && fmt.bitsPerSample === 16) {
        samples = new Int16Array(size / 2);
        for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(body + i * 2);
      }
      return { ...fmt, frames, durationSeconds: frames / fmt.sampleRate, samples };
    }
    at = body + size + (size % 2);
  }
  throw new Error(fmt ? 'no data chunk' : 'no fmt chunk');
}

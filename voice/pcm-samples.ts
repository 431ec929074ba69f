/** Conversions between the sample forms the pipeline passes around: float channels and 16-bit mono. */

/** Averages the channels into one (a voice note's channels carry the same voice). */
export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return first;
  const length = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(length);
  const scale = 1 / channels.length;
  for (const channel of channels) for (let i = 0; i < length; i++) out[i] = out[i]! + channel[i]! * scale;
  return out;
}

/** Float samples in [-1, 1] to signed 16-bit, rounded and clipped. */
export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const scaled = Math.round(s * 32767);
    out[i] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
  }
  return out;
}

export function int16ToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** Joins blocks of samples into one array. */
export function concatInt16(blocks: readonly Int16Array[]): Int16Array {
  let length = 0;
  for (const block of blocks) length += block.length;
  const out = new Int16Array(length);
  let offset = 0;
  for (const block of blocks) {
    out.set(block, offset);
    offset += block.length;
  }
  return out;
}

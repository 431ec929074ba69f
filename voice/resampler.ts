/**
 * Sample-rate conversion by band-limited interpolation: a Kaiser-windowed sinc low-pass, applied as a
 * polyphase filter (one set of taps per fractional position). Going from 48 kHz to 16 kHz keeps
 * everything below ~7.3 kHz and removes what lies above 8 kHz before it can fold back (alias) into the
 * speech band; naive decimation (keeping every third sample) would fold 8–24 kHz onto 0–8 kHz.
 *
 * Streaming: `process()` takes blocks of any size and returns the output they complete, keeping the
 * filter's history between calls, so a long note is converted without holding it all at 48 kHz.
 *
 * @example
 * const resampler = new Resampler(48_000, 16_000);
 * const out = concat([resampler.process(block1), resampler.process(block2), resampler.flush()]);
 */
export class Resampler {
  /** Output samples per `down` input samples, in lowest terms. */
  private readonly up: number;
  private readonly down: number;
  /** Taps per phase: the filter reaches `half` input samples on each side of the output instant. */
  private readonly half: number;
  private readonly taps: number;
  private readonly phases: number;
  private readonly table: Float32Array;
  /** Pending input; buffer[0] is absolute input index `bufferStart` (negative: leading zeros). */
  private buffer: Float32Array;
  private bufferLength = 0;
  private bufferStart: number;
  private inputCount = 0;
  private nextOutput = 0;
  private flushed = false;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    options: ResamplerOptions = {},
  ) {
    if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
      throw new RangeError(`Sample rates must be positive integers (got ${fromRate} → ${toRate})`);
    }
    const divisor = gcd(fromRate, toRate);
    this.up = toRate / divisor;
    this.down = fromRate / divisor;
    const zeroCrossings = options.zeroCrossings ?? 32;
    const rolloff = options.rolloff ?? 0.91;
    const beta = options.kaiserBeta ?? 8.6;
    // Cutoff as a fraction of the input Nyquist frequency: the lower of the two rates decides.
    const cutoff = rolloff * Math.min(1, this.up / this.down);
    this.half = Math.ceil(zeroCrossings / cutoff);
    this.taps = 2 * this.half;
    // An exact phase per output position when there are few (48k→16k: 1, 22.05k→16k: 320);
    // otherwise the nearest of 4096, an error far below 16-bit resolution.
    this.phases = Math.min(this.up, MAX_PHASES);
    this.table = buildTable(this.phases, this.half, cutoff, beta);
    // Leading zeros stand for the silence before the first sample, so the loop needs no bounds checks.
    this.buffer = new Float32Array(Math.max(4096, this.taps * 2));
    this.bufferLength = this.half - 1;
    this.bufferStart = -(this.half - 1);
  }

  /** Input samples consumed per output sample, e.g. 3 for 48 kHz → 16 kHz. */
  get ratio(): number {
    return this.down / this.up;
  }

  /** Feeds a block of input; returns the output samples it completes. */
  process(input: Float32Array): Float32Array {
    if (this.flushed) throw new Error('Resampler: process() after flush()');
    this.append(input);
    this.inputCount += input.length;
    return this.produce(false);
  }

  /** Ends the stream: the remaining output, as if silence followed the last sample. */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    this.append(new Float32Array(this.half + 1));
    return this.produce(true);
  }

  /** The output index n sits at input position n·down/up = i0 + phase/up. */
  private produce(final: boolean): Float32Array {
    // Output samples that exist at all: ceil(inputCount · up / down).
    const total = Math.ceil((this.inputCount * this.up) / this.down);
    const available = this.bufferStart + this.bufferLength; // absolute index one past the last buffered sample
    let end = this.nextOutput;
    // Output n needs input up to i0(n) + half (+1 when its phase rounds up to the next sample);
    // without flushing, wait for it to arrive.
    while (end < total && (final || Math.floor((end * this.down) / this.up) + this.half + 1 < available)) end++;
    const out = new Float32Array(end - this.nextOutput);
    const { buffer, table, taps, up, down, phases } = this;
    for (let k = 0; k < out.length; k++) {
      const n = this.nextOutput + k;
      const position = n * down;
      let i0 = Math.floor(position / up);
      let phase = position - i0 * up;
      if (phases !== up) {
        phase = Math.round((phase * phases) / up);
        if (phase === phases) {
          phase = 0;
          i0++;
        }
      }
      const base = i0 - this.half + 1 - this.bufferStart;
      const coefficients = phase * taps;
      // Four accumulators: taps is even, and independent sums let the JIT overlap the multiplies.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let j = 0;
      for (; j + 3 < taps; j += 4) {
        a0 += buffer[base + j]! * table[coefficients + j]!;
        a1 += buffer[base + j + 1]! * table[coefficients + j + 1]!;
        a2 += buffer[base + j + 2]! * table[coefficients + j + 2]!;
        a3 += buffer[base + j + 3]! * table[coefficients + j + 3]!;
      }
      for (; j < taps; j++) a0 += buffer[base + j]! * table[coefficients + j]!;
      out[k] = a0 + a1 + a2 + a3;
    }
    this.nextOutput = end;
    this.discardConsumed();
    return out;
  }

  private append(input: Float32Array): void {
    if (this.bufferLength + input.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(this.buffer.length * 2, this.bufferLength + input.length));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(input, this.bufferLength);
    this.bufferLength += input.length;
  }

  /** Drops input that no future output can reach (everything before i0(next) − half + 1). */
  private discardConsumed(): void {
    const firstNeeded = Math.floor((this.nextOutput * this.down) / this.up) - this.half + 1;
    const drop = Math.min(this.bufferLength, Math.max(0, firstNeeded - this.bufferStart));
    if (drop === 0) return;
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferLength -= drop;
    this.bufferStart += drop;
  }
}

export interface ResamplerOptions {
  /** Zero crossings of the sinc on each side of its centre: more is a steeper filter (default 32). */
  zeroCrossings?: number;
  /** The cutoff as a fraction of the lower Nyquist frequency (default 0.91: 7.28 kHz for 16 kHz output). */
  rolloff?: number;
  /** Kaiser window shape: 8.6 gives about 85 dB of stopband attenuation. */
  kaiserBeta?: number;
}

/**
 * Converts a whole signal at once.
 *
 * @example
 * const pcm16k = resample(samples48k, 48_000, 16_000);
 */
export function resample(input: Float32Array, fromRate: number, toRate: number, options?: ResamplerOptions): Float32Array {
  if (fromRate === toRate) return input.slice();
  const resampler = new Resampler(fromRate, toRate, options);
  const head = resampler.process(input);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

const MAX_PHASES = 4096;

/**
 * table[p·taps + j] = weight of input sample (i0 − half + 1 + j) for an output at i0 + p/phases:
 * cutoff·sinc(cutoff·x)·kaiser(x/half) with x = p/phases − (j − half + 1). Each phase is normalised
 * to a DC gain of exactly 1, so a constant signal stays constant.
 */
function buildTable(phases: number, half: number, cutoff: number, beta: number): Float32Array {
  const taps = 2 * half;
  const table = new Float32Array(phases * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p < phases; p++) {
    const fraction = p / phases;
    let sum = 0;
    const row = new Float64Array(taps);
    for (let j = 0; j < taps; j++) {
      const x = fraction - (j - half + 1);
      const r = x / half;
      const window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      const t = Math.PI * cutoff * x;
      const sinc = x === 0 ? 1 : Math.sin(t) / t;
      row[j] = cutoff * sinc * window;
      sum += row[j]!;
    }
    for (let j = 0; j < taps; j++) table[p * taps + j] = row[j]! / sum;
  }
  return table;
}

/** The zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

import { describe, expect, it } from 'vitest';
import { resample, Resampler } from '../../voice/index.js';
import { rms, sine } from '../support/audio.js';

/** Frequency from zero crossings over the steady middle of the signal. */
function frequencyOf(samples: Float32Array, sampleRate: number): number {
  const from = Math.floor(samples.length * 0.25);
  const to = Math.floor(samples.length * 0.75);
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = from + 1; i < to; i++) {
    if (samples[i - 1]! < 0 && samples[i]! >= 0) {
      // Linear interpolation of where the upward crossing happened.
      const at = i - 1 + samples[i - 1]! / (samples[i - 1]! - samples[i]!);
      if (first < 0) first = at;
      else crossings++;
      last = at;
    }
  }
  return (crossings * sampleRate) / (last - first);
}

const middle = (samples: Float32Array) => samples.subarray(Math.floor(samples.length * 0.1), Math.floor(samples.length * 0.9));

describe('Resampler', () => {
  it('keeps a 1 kHz tone at 1 kHz and its amplitude when going 48 kHz → 16 kHz', () => {
    const input = sine(1000, 48_000, 2, 0.5);
    const output = resample(input, 48_000, 16_000);
    expect(output.length).toBe(32_000);
    expect(frequencyOf(output, 16_000)).toBeCloseTo(1000, 1);
    const amplitude = rms(middle(output)) * Math.SQRT2;
    expect(Math.abs(amplitude - 0.5)).toBeLessThan(0.005); // within 1 %
    // And it is still a clean sine: compare with the ideal one sample by sample.
    const ideal = sine(1000, 16_000, 2, 0.5);
    let worst = 0;
    for (let i = 1000; i < 31_000; i++) worst = Math.max(worst, Math.abs(output[i]! - ideal[i]!));
    expect(worst).toBeLessThan(0.002);
  });

  it('removes a 10 kHz tone (above the new 8 kHz Nyquist) instead of folding it to 6 kHz', () => {
    const input = sine(10_000, 48_000, 2, 0.5);
    const output = resample(input, 48_000, 16_000);
    const attenuationDb = 20 * Math.log10(rms(middle(output)) / rms(input));
    expect(attenuationDb).toBeLessThan(-70);
    // Naive decimation (every third sample) would keep it at full strength, aliased to 6 kHz.
    const naive = new Float32Array(32_000).map((_, i) => input[i * 3]!);
    expect(20 * Math.log10(rms(naive) / rms(input))).toBeGreaterThan(-1);
  });

  it('passes speech frequencies untouched up to ~6.5 kHz and stops them from 8 kHz', () => {
    const gainDb = (frequency: number) => {
      const out = resample(sine(frequency, 48_000, 1), 48_000, 16_000);
      return 20 * Math.log10(rms(middle(out)) / rms(sine(frequency, 48_000, 1)));
    };
    for (const f of [100, 300, 1000, 3000, 5000, 6500]) expect(Math.abs(gainDb(f))).toBeLessThan(0.1);
    for (const f of [8200, 9000, 12_000, 20_000]) expect(gainDb(f)).toBeLessThan(-60);
  });

  it('converts 22.05 kHz (espeak-ng) and 44.1 kHz to 16 kHz with the right length and pitch', () => {
    for (const rate of [22_050, 44_100, 8_000]) {
      const output = resample(sine(440, rate, 1.5, 0.4), rate, 16_000);
      expect(output.length).toBe(24_000);
      expect(frequencyOf(output, 16_000)).toBeCloseTo(440, 0);
      expect(Math.abs(rms(middle(output)) * Math.SQRT2 - 0.4)).toBeLessThan(0.004);
    }
  });

  it('keeps a constant level constant (each phase has a DC gain of 1)', () => {
    const output = resample(new Float32Array(22_050).fill(0.25), 22_050, 16_000);
    for (const value of middle(output)) expect(value).toBeCloseTo(0.25, 5);
  });

  it('gives the same output streamed in odd-sized blocks as all at once', () => {
    const input = sine(700, 48_000, 1);
    for (let i = 0; i < input.length; i += 97) input[i] = input[i]! * 0.3; // not a pure tone
    const whole = resample(input, 48_000, 16_000);
    const streaming = new Resampler(48_000, 16_000);
    const pieces: Float32Array[] = [];
    for (let at = 0, size = 1; at < input.length; at += size, size = (size * 7 + 3) % 5000) pieces.push(streaming.process(input.subarray(at, at + size)));
    pieces.push(streaming.flush());
    const joined = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const piece of pieces) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    expect(joined.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(joined[i]).toBeCloseTo(whole[i]!, 6);
  });

  it('refuses rates that are not positive integers', () => {
    expect(() => new Resampler(0, 16_000)).toThrow(RangeError);
    expect(() => new Resampler(44_100.5, 16_000)).toThrow(RangeError);
  });
});

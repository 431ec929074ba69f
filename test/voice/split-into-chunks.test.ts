import { describe, expect, it } from 'vitest';
import { splitIntoChunks } from '../../voice/index.js';

const RATE = 16_000;

/** Loud noise-like "words" of `wordSeconds`, separated by silent gaps of `gapSeconds`. */
function speechLike(words: number, wordSeconds: number, gapSeconds: number): Int16Array {
  const word = Math.round(wordSeconds * RATE);
  const gap = Math.round(gapSeconds * RATE);
  const out = new Int16Array(words * (word + gap));
  for (let w = 0; w < words; w++) {
    for (let i = 0; i < word; i++) out[w * (word + gap) + i] = Math.round(12_000 * Math.sin(i * 0.3) * Math.sin(i * 0.011));
  }
  return out;
}

describe('splitIntoChunks', () => {
  it('leaves a note shorter than a chunk whole', () => {
    expect(splitIntoChunks(new Int16Array(RATE * 5), RATE, 10)).toEqual([{ start: 0, end: RATE * 5 }]);
  });

  it('cuts in the gaps between words, never through one, and never past the chunk length', () => {
    const pcm = speechLike(12, 0.7, 0.25); // 11.4 s
    const chunks = splitIntoChunks(pcm, RATE, 3);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(pcm.length);
    for (let i = 0; i < chunks.length; i++) {
      const { start, end } = chunks[i]!;
      expect(end - start).toBeLessThanOrEqual(3 * RATE);
      if (i > 0) expect(start).toBe(chunks[i - 1]!.end);
      if (i < chunks.length - 1) {
        expect(end - start).toBeGreaterThanOrEqual(1.5 * RATE);
        expect(pcm[end]).toBe(0); // the cut is inside a silent gap
        expect(pcm[end - 1]).toBe(0);
      }
    }
  });

  it('still cuts (at the limit) when there is no quiet point at all', () => {
    const noise = new Int16Array(RATE * 5).map((_, i) => (i % 2 ? 9000 : -9000));
    const chunks = splitIntoChunks(noise, RATE, 2);
    expect(chunks.every((c) => c.end - c.start <= 2 * RATE)).toBe(true);
    expect(chunks.reduce((n, c) => n + c.end - c.start, 0)).toBe(noise.length);
  });
});

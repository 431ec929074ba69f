import { describe, expect, it } from 'vitest';
import { chooseOosThreshold, createRandom, fitTemperature } from '../../../intents/offline/index.js';

describe('chooseOosThreshold', () => {
  it('rejects at most the budgeted share of correct in-scope predictions', () => {
    // 200 in-scope examples, correct ones with tops 0.01..1.00; budget 1% = 2 examples.
    const records = Array.from({ length: 100 }, (_, i) => ({ top: (i + 1) / 100, correctInScope: true }));
    const wrong = Array.from({ length: 100 }, () => ({ top: 0.05, correctInScope: false }));
    const threshold = chooseOosThreshold([...records, ...wrong], 200, 0.01);
    expect(threshold).toBeCloseTo(0.025, 10);
    expect(records.filter((r) => r.top < threshold)).toHaveLength(2);
  });

  it('stays proportionate on a validation set too small for a whole example', () => {
    // 50 in-scope examples × 0.5% = 0.25 of an example: three quarters of the way below the lowest.
    const records = [0.4, 0.6, 0.8].map((top) => ({ top, correctInScope: true }));
    expect(chooseOosThreshold(records, 50, 0.005)).toBeCloseTo(0.3, 10);
  });

  it('is zero with no budget or no data', () => {
    expect(chooseOosThreshold([{ top: 0.5, correctInScope: true }], 1, 0)).toBe(0);
    expect(chooseOosThreshold([], 0, 0.01)).toBe(0);
  });
});

describe('fitTemperature', () => {
  it('recovers the temperature that generated the labels', () => {
    const random = createRandom(3);
    const scores: Float64Array[] = [];
    const gold: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const row = Float64Array.from({ length: 5 }, () => random() * 4);
      const weights = [...row].map((s) => Math.exp(s / 2)); // true T = 2
      const total = weights.reduce((a, b) => a + b, 0);
      let u = random() * total;
      let label = 0;
      while (u > weights[label]! && label < 4) u -= weights[label++]!;
      scores.push(row);
      gold.push(label);
    }
    expect(fitTemperature(scores, gold)).toBeGreaterThan(1.7);
    expect(fitTemperature(scores, gold)).toBeLessThan(2.3);
  });
});

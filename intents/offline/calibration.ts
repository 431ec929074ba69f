import { softmaxInPlace } from './kernels.js';

/**
 * Temperature scaling (Guo et al., 2017): one scalar T such that softmax(scores / T) minimises
 * the negative log-likelihood of held-out labels. It changes confidence, never the ranking.
 * The NLL is convex in 1/T, so a golden-section search over log(1/T) finds the optimum.
 *
 * @param scores one score row per example
 * @param gold the index of each example's true class
 */
export function fitTemperature(scores: readonly Float64Array[], gold: readonly number[]): number {
  if (scores.length === 0) return 1;
  const nll = (logInverse: number): number => {
    const inverse = Math.exp(logInverse);
    let total = 0;
    scores.forEach((row, i) => {
      let max = -Infinity;
      for (let c = 0; c < row.length; c++) if (row[c]! > max) max = row[c]!;
      let sum = 0;
      for (let c = 0; c < row.length; c++) sum += Math.exp((row[c]! - max) * inverse);
      total += Math.log(sum) - (row[gold[i]!]! - max) * inverse;
    });
    return total / scores.length;
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(1 / 50); // T = 50
  let high = Math.log(1 / 0.01); // T = 0.01
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let fa = nll(a);
  let fb = nll(b);
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      high = b;
      b = a;
      fb = fa;
      a = high - ratio * (high - low);
      fa = nll(a);
    } else {
      low = a;
      a = b;
      fa = fb;
      b = low + ratio * (high - low);
      fb = nll(b);
    }
  }
  return 1 / Math.exp((low + high) / 2);
}

/** softmax(scores / temperature) as a new array. */
export function calibratedProbabilities(scores: Float64Array, temperature: number): Float64Array {
  return softmaxInPlace(Float64Array.from(scores), temperature);
}

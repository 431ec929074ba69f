/**
 * The dense inner loops of scoring and training. Unrolled by four: V8 runs these about 1.7×
 * faster than the plain loop (measured on the CLINC150 network), and they dominate training time.
 */

/** y += a · x[offset .. offset + y.length) */
export function addScaled(y: Float64Array, a: number, x: Float32Array, offset: number): void {
  const n = y.length;
  const m = n - (n & 3);
  let k = 0;
  for (; k < m; k += 4) {
    const o = offset + k;
    y[k]! += a * x[o]!;
    y[k + 1]! += a * x[o + 1]!;
    y[k + 2]! += a * x[o + 2]!;
    y[k + 3]! += a * x[o + 3]!;
  }
  for (; k < n; k++) y[k]! += a * x[offset + k]!;
}

/** x[offset .. offset + y.length) −= a · y */
export function subtractScaled(x: Float32Array, offset: number, a: number, y: Float64Array): void {
  const n = y.length;
  const m = n - (n & 3);
  let k = 0;
  for (; k < m; k += 4) {
    const o = offset + k;
    x[o]! -= a * y[k]!;
    x[o + 1]! -= a * y[k + 1]!;
    x[o + 2]! -= a * y[k + 2]!;
    x[o + 3]! -= a * y[k + 3]!;
  }
  for (; k < n; k++) x[offset + k]! -= a * y[k]!;
}

/** x[offset .. offset + y.length) · y */
export function dot(x: Float32Array, offset: number, y: Float64Array): number {
  const n = y.length;
  const m = n - (n & 3);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k < m; k += 4) {
    const o = offset + k;
    s0 += x[o]! * y[k]!;
    s1 += x[o + 1]! * y[k + 1]!;
    s2 += x[o + 2]! * y[k + 2]!;
    s3 += x[o + 3]! * y[k + 3]!;
  }
  for (; k < n; k++) s0 += x[offset + k]! * y[k]!;
  return s0 + s1 + s2 + s3;
}

/** Scores / temperature → probabilities, in place. Numerically safe for any finite scores. */
export function softmaxInPlace(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) if (scores[c]! > max) max = scores[c]!;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp((scores[c]! - max) / temperature);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = scores[c]! / sum;
  return scores;
}

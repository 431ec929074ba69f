import { addScaled } from './kernels.js';
import { createRandom, shuffleInPlace } from './random.js';
import type { CsrMatrix, SparseVector } from './sparse-matrix.js';

/**
 * One-vs-rest linear SVMs (L2-regularised, squared hinge loss) trained by dual coordinate
 * descent with shrinking, as LIBLINEAR's default solver does (Hsieh et al., ICML 2008). The
 * bias is an extra constant feature. Margins are not probabilities: the ensemble turns them
 * into probabilities with a fitted temperature.
 */
export interface SvmOptions {
  /** Cost of margin violations (larger = less regularisation). */
  cost: number;
  /** Stop when the spread of projected gradients falls below this (LIBLINEAR's ε). */
  tolerance: number;
  maxIterations: number;
  seed: number;
}

export interface LinearModel {
  readonly classes: number;
  readonly features: number;
  /** features × classes, feature-major: scoring reads one contiguous row per feature. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

const BIAS_FEATURE = 1;

export function trainOneVsRestSvm(x: CsrMatrix, labels: Int32Array, classes: number, options: SvmOptions): LinearModel {
  const { rows, columns, offsets, indices, values } = x;
  const weights = new Float32Array(columns * classes);
  const bias = new Float32Array(classes);
  const diagonal = 0.5 / options.cost;
  const qd = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let norm = BIAS_FEATURE * BIAS_FEATURE;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) norm += values[k]! * values[k]!;
    qd[i] = norm + diagonal;
  }
  const w = new Float64Array(columns);
  const alpha = new Float64Array(rows);
  const order = new Int32Array(rows);
  const random = createRandom(options.seed);
  for (let cls = 0; cls < classes; cls++) {
    w.fill(0);
    alpha.fill(0);
    let wBias = 0;
    for (let i = 0; i < rows; i++) order[i] = i;
    let active = rows;
    let pgMaxOld = Infinity;
    for (let iteration = 0; iteration < options.maxIterations; iteration++) {
      let pgMax = -Infinity;
      let pgMin = Infinity;
      shuffleInPlace(order.subarray(0, active), random);
      for (let s = 0; s < active; s++) {
        const i = order[s]!;
        const y = labels[i] === cls ? 1 : -1;
        const start = offsets[i]!;
        const end = offsets[i + 1]!;
        let margin = wBias * BIAS_FEATURE;
        for (let k = start; k < end; k++) margin += w[indices[k]!]! * values[k]!;
        const g = y * margin - 1 + alpha[i]! * diagonal;
        let pg = g;
        if (alpha[i] === 0) {
          if (g > pgMaxOld) {
            // Shrinking: comfortably outside the margin, so stop visiting it this round.
            active--;
            order[s] = order[active]!;
            order[active] = i;
            s--;
            continue;
          }
          if (g > 0) pg = 0;
        }
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (Math.abs(pg) > 1e-12) {
          const previous = alpha[i]!;
          alpha[i] = Math.max(previous - g / qd[i]!, 0);
          const delta = (alpha[i]! - previous) * y;
          for (let k = start; k < end; k++) w[indices[k]!]! += delta * values[k]!;
          wBias += delta * BIAS_FEATURE;
        }
      }
      if (pgMax - pgMin <= options.tolerance) {
        if (active === rows) break;
        // Converged on the shrunk set: check once more on every example.
        active = rows;
        pgMaxOld = Infinity;
        continue;
      }
      pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
    }
    for (let j = 0; j < columns; j++) weights[j * classes + cls] = w[j]!;
    bias[cls] = wBias * BIAS_FEATURE;
  }
  return { classes, features: columns, weights, bias };
}

/** Scores of one vector into `out` (length `classes`). */
export function linearScores(model: LinearModel, vector: SparseVector, out: Float64Array): Float64Array {
  out.set(model.bias);
  const { indices, values } = vector;
  for (let k = 0; k < indices.length; k++) addScaled(out, values[k]!, model.weights, indices[k]! * model.classes);
  return out;
}

export function linearModelBytes(model: LinearModel): number {
  return model.weights.byteLength + model.bias.byteLength;
}

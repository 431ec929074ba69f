import { addScaled, dot, softmaxInPlace, subtractScaled } from './kernels.js';
import { createRandom, shuffleInPlace } from './random.js';
import type { CsrMatrix, SparseVector } from './sparse-matrix.js';

/**
 * A network with one hidden layer (ReLU) over the sparse TF-IDF vector and a softmax output,
 * trained by per-example SGD with a linearly decaying step (as fastText does) and inverted
 * dropout on the hidden layer. The hidden layer lets classes share evidence and learns feature
 * conjunctions a linear model cannot; its softmax is also better calibrated for out-of-scope
 * detection than SVM margins. First-layer weights are feature-major, so a text only touches the
 * rows of its own features.
 */
export interface MlpOptions {
  hidden: number;
  epochs: number;
  learningRate: number;
  dropout: number;
  /** Half-width of the uniform initialisation of the first layer. */
  initScale: number;
  seed: number;
}

export interface MlpModel {
  readonly inputs: number;
  readonly hidden: number;
  readonly classes: number;
  /** inputs × hidden, feature-major. */
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** hidden × classes. */
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

export function trainMlp(x: CsrMatrix, labels: Int32Array, classes: number, options: MlpOptions): MlpModel {
  const { hidden, epochs, learningRate } = options;
  const random = createRandom(options.seed);
  const w1 = new Float32Array(x.columns * hidden);
  for (let i = 0; i < w1.length; i++) w1[i] = (random() * 2 - 1) * options.initScale;
  const b1 = new Float32Array(hidden);
  const w2 = new Float32Array(hidden * classes);
  const limit = Math.sqrt(6 / (hidden + classes)); // Glorot uniform
  for (let i = 0; i < w2.length; i++) w2[i] = (random() * 2 - 1) * limit;
  const b2 = new Float32Array(classes);

  const h = new Float64Array(hidden);
  const gradHidden = new Float64Array(hidden);
  const out = new Float64Array(classes);
  const active = new Int32Array(hidden);
  const order = Int32Array.from({ length: x.rows }, (_, i) => i);
  const totalSteps = epochs * x.rows;
  const keep = 1 - options.dropout;
  const { offsets, indices, values } = x;
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const row of order) {
      const eta = learningRate * (1 - step++ / totalSteps);
      const start = offsets[row]!;
      const end = offsets[row + 1]!;
      h.set(b1);
      for (let p = start; p < end; p++) addScaled(h, values[p]!, w1, indices[p]! * hidden);
      // ReLU and inverted dropout; only surviving units take part in the rest of the step.
      let activeCount = 0;
      for (let k = 0; k < hidden; k++) {
        if (h[k]! > 0 && random() < keep) {
          h[k] = h[k]! / keep;
          active[activeCount++] = k;
        } else {
          h[k] = 0;
        }
      }
      out.set(b2);
      for (let a = 0; a < activeCount; a++) addScaled(out, h[active[a]!]!, w2, active[a]! * classes);
      softmaxInPlace(out);
      out[labels[row]!]! -= 1; // ∂loss/∂scores of cross-entropy
      gradHidden.fill(0);
      for (let a = 0; a < activeCount; a++) {
        const k = active[a]!;
        gradHidden[k] = dot(w2, k * classes, out) / keep;
      }
      for (let a = 0; a < activeCount; a++) {
        const k = active[a]!;
        subtractScaled(w2, k * classes, eta * h[k]!, out);
      }
      for (let c = 0; c < classes; c++) b2[c]! -= eta * out[c]!;
      for (let p = start; p < end; p++) subtractScaled(w1, indices[p]! * hidden, eta * values[p]!, gradHidden);
      for (let k = 0; k < hidden; k++) b1[k]! -= eta * gradHidden[k]!;
    }
  }
  return { inputs: x.columns, hidden, classes, w1, b1, w2, b2 };
}

/** Output scores (logits) of one vector into `out` (length `classes`); `hidden` is scratch of length `model.hidden`. */
export function mlpScores(
  model: MlpModel,
  vector: SparseVector,
  out: Float64Array,
  hidden: Float64Array,
): Float64Array {
  const { classes, w1, b1, w2, b2 } = model;
  const { indices, values } = vector;
  hidden.set(b1);
  for (let p = 0; p < indices.length; p++) addScaled(hidden, values[p]!, w1, indices[p]! * model.hidden);
  out.set(b2);
  for (let k = 0; k < model.hidden; k++) if (hidden[k]! > 0) addScaled(out, hidden[k]!, w2, k * classes);
  return out;
}

export function mlpBytes(model: MlpModel): number {
  return model.w1.byteLength + model.b1.byteLength + model.w2.byteLength + model.b2.byteLength;
}

import { softmaxInPlace } from './kernels.js';
import type { EnsembleMember } from './ensemble-member.js';
import type { SparseVector } from './sparse-matrix.js';
import type { Prediction, ScoredLabel, TextClassifier } from './text-classifier.js';
import type { TfidfFeaturizer } from './tfidf-featurizer.js';

export interface OfflineClassifierParts {
  featurizer: TfidfFeaturizer;
  members: readonly EnsembleMember[];
  /** Per member, the temperature of its softmax. */
  temperatures: readonly number[];
  /** Class index → label; includes the out-of-scope label when it was trained as a class. */
  classes: readonly string[];
  outOfScopeLabel: string;
  threshold: number;
}

const RANKING_SIZE = 5;

/**
 * The trained offline classifier: the average of its members' calibrated probabilities, then
 * the out-of-scope rule (the out-of-scope class wins, or the best probability is below the
 * threshold).
 */
export class OfflineClassifier implements TextClassifier {
  readonly labels: readonly string[];
  readonly outOfScopeLabel: string;
  readonly threshold: number;
  readonly temperatures: readonly number[];
  private readonly outOfScopeIndex: number;
  private readonly scratch: Float64Array;
  private readonly sum: Float64Array;

  /** `parts` are read by classifier-file.ts to save the trained model. */
  constructor(readonly parts: OfflineClassifierParts) {
    this.outOfScopeLabel = parts.outOfScopeLabel;
    this.threshold = parts.threshold;
    this.temperatures = parts.temperatures;
    this.labels = parts.classes.includes(parts.outOfScopeLabel)
      ? parts.classes
      : [...parts.classes, parts.outOfScopeLabel];
    this.outOfScopeIndex = parts.classes.indexOf(parts.outOfScopeLabel);
    this.scratch = new Float64Array(parts.classes.length);
    this.sum = new Float64Array(parts.classes.length);
  }

  /**
   * @example
   * const classifier = trainClassifier(examples, { validation });
   * classifier.classify('ship soarix-web to prod');
   * // → { label: 'deploy.create', confidence: 0.93, ranking: [{ label: 'deploy.create', confidence: 0.93 }, …] }
   */
  classify(text: string): Prediction {
    const probabilities = this.probabilities(text);
    if (probabilities === undefined) return { label: this.outOfScopeLabel, confidence: 0, ranking: [] };
    const ranking = this.rank(probabilities);
    const best = ranking[0]!;
    if (best.label === this.outOfScopeLabel || best.confidence >= this.threshold) {
      return { label: best.label, confidence: best.confidence, ranking };
    }
    const confidence = this.outOfScopeIndex < 0 ? 0 : probabilities[this.outOfScopeIndex]!;
    return { label: this.outOfScopeLabel, confidence, ranking };
  }

  /**
   * The ensemble's probability of every class (in `classes` order), or undefined when the text
   * has no feature seen in training. The returned array is reused by the next call.
   */
  probabilities(text: string): Float64Array | undefined {
    const vector = this.parts.featurizer.transform(typeof text === 'string' ? text : '');
    if (vector.indices.length === 0) return undefined;
    return this.probabilitiesOf(vector);
  }

  /** Same as `probabilities`, for an already featurised text. */
  probabilitiesOf(vector: SparseVector): Float64Array {
    const { members, temperatures } = this.parts;
    this.sum.fill(0);
    members.forEach((member, m) => {
      softmaxInPlace(member.score(vector, this.scratch), temperatures[m]);
      for (let c = 0; c < this.sum.length; c++) this.sum[c]! += this.scratch[c]! / members.length;
    });
    return this.sum;
  }

  memoryBytes(): number {
    return this.parts.featurizer.memoryBytes() + this.parts.members.reduce((total, m) => total + m.bytes(), 0);
  }

  private rank(probabilities: Float64Array): ScoredLabel[] {
    const top: number[] = [];
    for (let c = 0; c < probabilities.length; c++) {
      let at = top.length;
      while (at > 0 && probabilities[top[at - 1]!]! < probabilities[c]!) at--;
      if (at < RANKING_SIZE) {
        top.splice(at, 0, c);
        if (top.length > RANKING_SIZE) top.pop();
      }
    }
    return top.map((c) => ({ label: this.parts.classes[c]!, confidence: probabilities[c]! }));
  }
}

/** One training or validation utterance. */
export interface LabelledExample {
  text: string;
  label: string;
}

export interface ScoredLabel {
  label: string;
  /** Calibrated probability, 0–1. */
  confidence: number;
}

export interface Prediction {
  /** The decided label: an intent, or the out-of-scope label. */
  label: string;
  /**
   * Calibrated probability that `label` is right. An out-of-scope decision made by the
   * threshold (nothing recognised confidently) therefore carries a low confidence.
   */
  confidence: number;
  /**
   * The five most probable labels, best first, before the out-of-scope rule is applied
   * (so an out-of-scope decision still shows the nearest intents). Empty when the text has
   * no feature the classifier knows.
   */
  ranking: ScoredLabel[];
}

/** A trained classifier. Synchronous and pure: the same text always gives the same prediction. */
export interface TextClassifier {
  classify(text: string): Prediction;
  /** Every label `classify` can return, the out-of-scope label included. */
  readonly labels: readonly string[];
  readonly outOfScopeLabel: string;
  /** Predictions whose best probability is below this become out-of-scope. */
  readonly threshold: number;
  /** Bytes of the numeric arrays (weights, biases, IDF); the vocabulary's strings are not counted. */
  memoryBytes(): number;
}

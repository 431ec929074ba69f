export {
  trainClassifier,
  DEFAULT_OUT_OF_SCOPE_LABEL,
  DEFAULT_THRESHOLD,
  LARGE_SET_EXAMPLES,
  type TrainOptions,
} from './train-classifier.js';
export type { TextClassifier, Prediction, LabelledExample, ScoredLabel } from './text-classifier.js';
export { OfflineClassifier } from './offline-classifier.js';
export { trainClassifierCached, trainingKey, type CachedTraining } from './cached-training.js';
export { encodeClassifier, decodeClassifier, ClassifierFileError } from './classifier-file.js';
export { ClassifierTrainingError } from './classifier-training-error.js';
export { chooseOosThreshold, type ThresholdRecord } from './oos-threshold.js';
export { fitTemperature } from './calibration.js';
export { TfidfFeaturizer, DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './tfidf-featurizer.js';
export { tokenize, MAX_INPUT_CHARS } from './normalize-text.js';
export { createRandom, type Random } from './random.js';

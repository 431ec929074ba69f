import { performance } from 'node:perf_hooks';
import { trainClassifier, type LabelledExample, type TrainOptions } from '../offline/index.js';
import { CLINC_OOS_LABEL, loadClinc } from './clinc-data.js';

export interface ClincResult {
  /** In-scope test utterances predicted as their own intent (an out-of-scope answer is wrong), 0–1. */
  inScopeAccuracy: number;
  /** Out-of-scope test utterances predicted out-of-scope, 0–1. */
  oosRecall: number;
  /** Wall time of `trainClassifier`, calibration on the validation split included. */
  trainSeconds: number;
  /** Mean `classify` time over the whole test split (in-scope and out-of-scope). */
  msPerUtterance: number;
  /** Bytes of the model's numeric arrays. */
  modelBytes: number;
}

const OUT_OF_SCOPE = 'out_of_scope';

/**
 * The CLINC150 protocol: train on train + oos_train, fit temperatures and the out-of-scope
 * threshold on val + oos_val, report on test + oos_test (never tuned on).
 *
 * @example
 * const result = evaluateClinc(defaultClincPath());
 * console.log(JSON.stringify(result)); // {"inScopeAccuracy":0.934,…}
 */
export function evaluateClinc(
  path: string,
  options: Omit<TrainOptions, 'validation' | 'outOfScopeLabel'> = {},
): ClincResult {
  const data = loadClinc(path);
  const examples = (rows: [string, string][]): LabelledExample[] =>
    rows.map(([text, label]) => ({ text, label: label === CLINC_OOS_LABEL ? OUT_OF_SCOPE : label }));

  const started = performance.now();
  const classifier = trainClassifier(examples([...data.train, ...data.oos_train]), {
    ...options,
    outOfScopeLabel: OUT_OF_SCOPE,
    validation: examples([...data.val, ...data.oos_val]),
  });
  const trainSeconds = (performance.now() - started) / 1000;

  const test = examples([...data.test, ...data.oos_test]);
  const predicted: string[] = new Array<string>(test.length);
  const classifyStarted = performance.now();
  for (let i = 0; i < test.length; i++) predicted[i] = classifier.classify(test[i]!.text).label;
  const msPerUtterance = (performance.now() - classifyStarted) / test.length;

  let inScope = 0;
  let inScopeCorrect = 0;
  let outOfScope = 0;
  let outOfScopeFound = 0;
  test.forEach(({ label }, i) => {
    if (label === OUT_OF_SCOPE) {
      outOfScope++;
      if (predicted[i] === OUT_OF_SCOPE) outOfScopeFound++;
    } else {
      inScope++;
      if (predicted[i] === label) inScopeCorrect++;
    }
  });
  return {
    inScopeAccuracy: inScopeCorrect / inScope,
    oosRecall: outOfScopeFound / outOfScope,
    trainSeconds,
    msPerUtterance,
    modelBytes: classifier.memoryBytes(),
  };
}

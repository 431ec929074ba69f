import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ClassifierTrainingError, trainClassifier, type TextClassifier } from '../../../intents/offline/index.js';
import { HAND_WRITTEN, PARAPHRASES, UNSEEN_OUT_OF_SCOPE, syntheticCatalog } from './fixtures.js';

const OUT = 'out_of_scope';

function accuracy(classifier: TextClassifier, examples: readonly { text: string; label: string }[]): number {
  return examples.filter((e) => classifier.classify(e.text).label === e.label).length / examples.length;
}

describe('trainClassifier', () => {
  const classifier = trainClassifier(HAND_WRITTEN);

  it('learns its training set', () => {
    expect(accuracy(classifier, HAND_WRITTEN)).toBeGreaterThanOrEqual(0.95);
  });

  it('generalises to paraphrases it never saw', () => {
    expect(accuracy(classifier, PARAPHRASES)).toBeGreaterThanOrEqual(10 / 12);
  });

  it('answers out-of-scope for chatter outside the catalog', () => {
    const outOfScope = UNSEEN_OUT_OF_SCOPE.filter((text) => classifier.classify(text).label === OUT);
    expect(outOfScope.length).toBeGreaterThanOrEqual(UNSEEN_OUT_OF_SCOPE.length - 1);
  });

  it('lists every intent and the out-of-scope label', () => {
    expect([...classifier.labels].sort()).toEqual(
      ['build.start', 'cancel', 'deploy.create', 'domain.check', 'greeting', OUT, 'task.create', 'task.list'].sort(),
    );
    expect(classifier.outOfScopeLabel).toBe(OUT);
  });

  it('returns calibrated, consistent confidences', () => {
    for (const { text } of [...PARAPHRASES, ...UNSEEN_OUT_OF_SCOPE.map((text) => ({ text }))]) {
      const prediction = classifier.classify(text);
      expect(prediction.confidence).toBeGreaterThanOrEqual(0);
      expect(prediction.confidence).toBeLessThanOrEqual(1);
      expect(prediction.ranking.length).toBeLessThanOrEqual(5);
      const confidences = prediction.ranking.map((r) => r.confidence);
      expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
      expect(confidences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
      // The label's confidence is its probability in the ranking (when it is ranked).
      const ranked = prediction.ranking.find((r) => r.label === prediction.label);
      if (ranked) expect(prediction.confidence).toBeCloseTo(ranked.confidence, 12);
      if (prediction.label !== OUT) {
        expect(prediction.label).toBe(prediction.ranking[0]!.label);
        expect(prediction.confidence).toBeGreaterThanOrEqual(classifier.threshold);
      }
    }
    const probabilities = classifier.probabilities('deploy the api to staging')!;
    expect([...probabilities].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('is deterministic: two trainings give identical predictions, networks included', () => {
    const texts = [...PARAPHRASES.map((p) => p.text), ...UNSEEN_OUT_OF_SCOPE];
    for (const networks of [0, 1]) {
      const a = trainClassifier(HAND_WRITTEN, { networks, seed: 5 });
      const b = trainClassifier(HAND_WRITTEN, { networks, seed: 5 });
      expect(texts.map((t) => a.classify(t))).toEqual(texts.map((t) => b.classify(t)));
    }
  });

  it('classifies hostile input without throwing', () => {
    const inputs = [
      '',
      '   ',
      'deploy '.repeat(15_000), // ~100 KB
      'x'.repeat(100_000),
      '🚀🔥💯',
      '\u0000\u0007\u001b[31m\u0008\u007f',
      'deploy 网站 to продакшн ✨ الإنتاج',
      '\ud800 lone surrogate \udfff',
      'ＤＥＰＬＯＹ ｔｈｅ ａｐｉ',
    ];
    for (const text of inputs) {
      const prediction = classifier.classify(text);
      expect(prediction.confidence).toBeGreaterThanOrEqual(0);
      expect(prediction.confidence).toBeLessThanOrEqual(1);
    }
    expect(classifier.classify('')).toEqual({ label: OUT, confidence: 0, ranking: [] });
    expect(classifier.classify('🚀🔥💯').label).toBe(OUT);
    // Full-width letters fold to ASCII (NFKC), so this is still a deploy.
    expect(classifier.classify('ＤＥＰＬＯＹ ｔｈｅ ａｐｉ to ｐｒｏｄ').label).toBe('deploy.create');
  });

  it('fits temperatures and the threshold when given validation examples', () => {
    const validation = [...PARAPHRASES, ...UNSEEN_OUT_OF_SCOPE.map((text) => ({ text, label: OUT }))];
    const tuned = trainClassifier(HAND_WRITTEN, { validation });
    expect(tuned.temperatures[0]).not.toBe(trainClassifier(HAND_WRITTEN).temperatures[0]);
    expect(tuned.threshold).toBeGreaterThanOrEqual(0);
    expect(tuned.threshold).toBeLessThan(1);
    expect(trainClassifier(HAND_WRITTEN, { validation, threshold: 0.42 }).threshold).toBe(0.42);
  });

  it('works without out-of-scope training examples (threshold only)', () => {
    const inScopeOnly = trainClassifier(HAND_WRITTEN.filter((e) => e.label !== OUT), { outOfScopeLabel: 'none' });
    expect(inScopeOnly.labels).toContain('none');
    expect(inScopeOnly.classify('').label).toBe('none');
    expect(accuracy(inScopeOnly, PARAPHRASES)).toBeGreaterThanOrEqual(10 / 12);
  });

  it('refuses a set with no in-scope example', () => {
    expect(() => trainClassifier([{ text: 'tell me a joke', label: OUT }])).toThrow(ClassifierTrainingError);
    expect(() => trainClassifier([])).toThrow(ClassifierTrainingError);
  });

  it('trains on 1,500 examples of 30 intents quickly (figure printed; the bench owns timing)', () => {
    const catalog = syntheticCatalog(30, 50);
    const started = performance.now();
    const big = trainClassifier(catalog);
    const seconds = (performance.now() - started) / 1000;
    console.log(`trained on ${catalog.length} examples / 30 labels in ${seconds.toFixed(2)} s, ${big.memoryBytes()} bytes`);
    expect(seconds).toBeLessThan(30); // sanity bound only
    expect(accuracy(big, catalog)).toBeGreaterThan(0.95);
  });
});

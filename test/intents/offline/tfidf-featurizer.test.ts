import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_OPTIONS, TfidfFeaturizer } from '../../../intents/offline/index.js';

const TEXTS = ['deploy the api', 'deploy the shop', 'build the api', 'build the shop', 'hello there'];

describe('TfidfFeaturizer', () => {
  const featurizer = TfidfFeaturizer.fit(TEXTS, { ...DEFAULT_FEATURE_OPTIONS, minDocumentFrequency: 1 });

  it('gives unit-length vectors when both words and character n-grams are known', () => {
    const { values } = featurizer.transform('deploy the api');
    expect(Math.hypot(...values)).toBeCloseTo(1, 5);
  });

  it('gives an empty vector for text with nothing known', () => {
    expect(featurizer.transform('🚀').indices.length).toBe(0);
    expect(featurizer.transform('').indices.length).toBe(0);
  });

  it('shares character n-grams between inflections', () => {
    const { indices } = featurizer.transform('deploying');
    expect(indices.length).toBeGreaterThan(0);
  });

  it('drops features below the document-frequency floor', () => {
    const pruned = TfidfFeaturizer.fit(TEXTS, { ...DEFAULT_FEATURE_OPTIONS, minDocumentFrequency: 2 });
    expect(pruned.dimension).toBeLessThan(featurizer.dimension);
  });
});

import { tokenize } from './normalize-text.js';
import type { SparseVector } from './sparse-matrix.js';

/**
 * Turns text into a TF-IDF vector with two blocks: words (unigrams and bigrams, with sentence
 * boundaries) and character n-grams taken inside each word (`" word "` padded, like
 * scikit-learn's `char_wb`). Character n-grams carry typos, inflections and unseen compounds;
 * words carry order. Each block is sublinear-TF × IDF, L2-normalised, then scaled by its weight,
 * so a text with features in both blocks has unit length.
 */
export interface FeatureOptions {
  /** Longest word n-gram (1 = unigrams only); bigrams include the sentence boundaries `<s>` and `</s>`. */
  wordNgramMax: number;
  /** Character n-gram lengths, inclusive. */
  charNgramMin: number;
  charNgramMax: number;
  /** Share of the squared norm given to the character block (0–1); words get the rest. */
  charWeight: number;
  /** Features seen in fewer training texts than this are dropped (saves memory, rarely helps). */
  minDocumentFrequency: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordNgramMax: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  charWeight: 0.5,
  minDocumentFrequency: 2,
};

/** Character n-grams are taken from at most this many characters of one word. */
const MAX_WORD_CHARS = 40;

type Block = 0 | 1;
const WORD: Block = 0;
const CHAR: Block = 1;

function forEachFeature(
  tokens: readonly string[],
  options: FeatureOptions,
  visit: (key: string, block: Block) => void,
): void {
  const padded = ['<s>', ...tokens, '</s>'];
  for (let i = 1; i < padded.length; i++) {
    const token = padded[i]!;
    if (i < padded.length - 1) visit(token, WORD);
    if (options.wordNgramMax >= 2) visit(`${padded[i - 1]!} ${token}`, WORD);
    if (options.wordNgramMax >= 3 && i >= 2) visit(`${padded[i - 2]!} ${padded[i - 1]!} ${token}`, WORD);
  }
  for (const token of tokens) {
    const word = ` ${token.length > MAX_WORD_CHARS ? token.slice(0, MAX_WORD_CHARS) : token} `;
    if (word.length < options.charNgramMin) visit(word, CHAR);
    for (let n = options.charNgramMin; n <= options.charNgramMax && n <= word.length; n++) {
      for (let start = 0; start + n <= word.length; start++) visit(word.slice(start, start + n), CHAR);
    }
  }
}

export interface FeaturizerState {
  options: FeatureOptions;
  vocabulary: Map<string, number>;
  /** Which block each feature belongs to (0 words, 1 characters). */
  blocks: Uint8Array;
  idf: Float32Array;
}

export class TfidfFeaturizer {
  private constructor(private readonly state: FeaturizerState) {}

  /** A featurizer saved by classifier-file.ts. */
  static fromState(state: FeaturizerState): TfidfFeaturizer {
    return new TfidfFeaturizer(state);
  }

  /** What classifier-file.ts saves. */
  toState(): Readonly<FeaturizerState> {
    return this.state;
  }

  get dimension(): number {
    return this.state.idf.length;
  }

  /**
   * Builds the vocabulary and IDF weights from the training texts. Deterministic: features are
   * numbered in order of first appearance.
   */
  static fit(texts: readonly string[], options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): TfidfFeaturizer {
    const documentFrequency = new Map<string, number>();
    const blockOf = new Map<string, Block>();
    const seen = new Set<string>();
    for (const text of texts) {
      seen.clear();
      forEachFeature(tokenize(text), options, (key, block) => {
        const namespaced = block === WORD ? `w${key}` : `c${key}`;
        if (seen.has(namespaced)) return;
        seen.add(namespaced);
        documentFrequency.set(namespaced, (documentFrequency.get(namespaced) ?? 0) + 1);
        blockOf.set(namespaced, block);
      });
    }
    const vocabulary = new Map<string, number>();
    const blocks: number[] = [];
    const idf: number[] = [];
    for (const [key, df] of documentFrequency) {
      if (df < options.minDocumentFrequency) continue;
      vocabulary.set(key, idf.length);
      blocks.push(blockOf.get(key)!);
      idf.push(Math.log((1 + texts.length) / (1 + df)) + 1);
    }
    return new TfidfFeaturizer({
      options,
      vocabulary,
      blocks: Uint8Array.from(blocks),
      idf: Float32Array.from(idf),
    });
  }

  /** The vector of one text; empty when none of its features were seen in training. */
  transform(text: string): SparseVector {
    const { options, vocabulary, blocks, idf } = this.state;
    const counts = new Map<number, number>();
    forEachFeature(tokenize(text), options, (key, block) => {
      const index = vocabulary.get(block === WORD ? `w${key}` : `c${key}`);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    });
    const indices = new Int32Array(counts.size);
    const values = new Float32Array(counts.size);
    const squaredNorms = [0, 0];
    let k = 0;
    for (const [index, count] of counts) {
      const value = (1 + Math.log(count)) * idf[index]!;
      indices[k] = index;
      values[k] = value;
      squaredNorms[blocks[index]!]! += value * value;
      k++;
    }
    const scales = [
      squaredNorms[WORD]! > 0 ? Math.sqrt((1 - options.charWeight) / squaredNorms[WORD]!) : 0,
      squaredNorms[CHAR]! > 0 ? Math.sqrt(options.charWeight / squaredNorms[CHAR]!) : 0,
    ];
    for (let j = 0; j < k; j++) values[j]! *= scales[blocks[indices[j]!]!]!;
    return { indices, values };
  }

  /** Bytes of the IDF and block arrays; the vocabulary's strings are not counted. */
  memoryBytes(): number {
    return this.state.idf.byteLength + this.state.blocks.byteLength;
  }
}

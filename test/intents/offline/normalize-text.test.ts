import { describe, expect, it } from 'vitest';
import { MAX_INPUT_CHARS, tokenize } from '../../../intents/offline/index.js';

describe('tokenize', () => {
  it('lower-cases, expands contractions and folds digits', () => {
    expect(tokenize("What's my balance? I can't see it – it's 1,250$")).toEqual([
      'what', 'is', 'my', 'balance', 'i', 'can', 'not', 'see', 'it', 'it', 'is', '0', '000',
    ]);
    expect(tokenize('I’ll deploy; you’re done')).toEqual(['i', 'will', 'deploy', 'you', 'are', 'done']);
    expect(tokenize("john's app")).toEqual(['johns', 'app']);
  });

  it('keeps letters of every script and drops symbols and emoji', () => {
    expect(tokenize('deploy 网站 🚀 продакшн!')).toEqual(['deploy', '网站', 'продакшн']);
    expect(tokenize('🚀🔥')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });

  it('reads only the first MAX_INPUT_CHARS characters', () => {
    expect(tokenize('ab '.repeat(100_000)).length).toBe(Math.ceil(MAX_INPUT_CHARS / 3));
  });
});

import { describe, expect, it } from 'vitest';
import { extractYears } from '../../../intents/slots/index.js';

describe('extractYears', () => {
  it.each([
    ['register acme.com for 2 years', 2],
    ['for two years', 2],
    ['for a year', 1],
    ['just one year', 1],
    ['a 3-year registration', 3],
    ['5yr', 5],
    ['for ten years', 10],
    ['a couple of years', 2],
    ['renew annually', 1],
  ])('%s → %d', (text, expected) => {
    expect(extractYears(text)).toBe(expected);
  });

  it.each(['for 20 years', 'for 0 years', '2 years ago', 'in 2026', 'register acme.com', 'twenty-one years', ''])(
    'returns nothing for %j',
    (text) => {
      expect(extractYears(text)).toBeUndefined();
    },
  );
});

import { describe, expect, it } from 'vitest';
import { extractAmount, findAmounts } from '../../../intents/slots/index.js';

describe('extractAmount', () => {
  it.each([
    ['deal worth $1,200', 1200, 'USD'],
    ['€300 a month', 300, 'EUR'],
    ['£2.5k budget', 2500, 'GBP'],
    ['USD 5000', 5000, 'USD'],
    ['300 euros', 300, 'EUR'],
    ['1.2m EUR', 1_200_000, 'EUR'],
    ['about 2k dollars', 2000, 'USD'],
    ['300€', 300, 'EUR'],
    ['₹50,000', 50_000, 'INR'],
    ['R$ 1.500', 1500, 'BRL'],
    ['€1.200,50', 1200.5, 'EUR'],
    ['$1,200.50', 1200.5, 'USD'],
  ])('%s → %d %s', (text, value, currency) => {
    expect(extractAmount(text)).toMatchObject({ value, currency });
  });

  it('reads a multiplier without a currency', () => {
    expect(extractAmount('budget is 5k')).toEqual({ value: 5000, text: '5k' });
    expect(extractAmount('10 grand')).toEqual({ value: 10_000, text: '10 grand' });
  });

  it.each(['build 42', 'for 2 years', 'call at 5', '10m', 'v1.2k', 'call +44 7911 123456', ''])('finds no amount in %j', (text) => {
    expect(extractAmount(text)).toBeUndefined();
  });

  it('lists several amounts', () => {
    expect(findAmounts('from $1,000 up to €2k').map((a) => a.value.value)).toEqual([1000, 2000]);
  });
});

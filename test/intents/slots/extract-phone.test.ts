import { describe, expect, it } from 'vitest';
import { extractPhone, findPhones } from '../../../intents/slots/index.js';

describe('extractPhone', () => {
  it.each([
    ['+44 7911 123456', undefined, '+447911123456'],
    ['0044 7911 123456', undefined, '+447911123456'],
    ['07911 123456', 'GB', '+447911123456'],
    ['(020) 7946 0958', 'GB', '+442079460958'],
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['415-555-2671', 'US', '+14155552671'],
    ['415.555.2671', 'US', '+14155552671'],
    ['+91 98765 43210', undefined, '+919876543210'],
    ['098765 43210', 'IN', '+919876543210'],
    ['+49 30 12345678', undefined, '+493012345678'],
    ['030 12345678', 'DE', '+493012345678'],
    ['+55 11 91234-5678', undefined, '+5511912345678'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
  ])('%s (%s) → %s', (text, defaultCountry, expected) => {
    expect(extractPhone(`call me on ${text} please`, { defaultCountry })).toBe(expected);
  });

  it('accepts national numbers only with a default region', () => {
    expect(extractPhone('07911 123456')).toBeUndefined();
    expect(extractPhone('07911 123456', { defaultCountry: 'gb' })).toBe('+447911123456');
    expect(extractPhone('07911 123456', { defaultCountry: 'XX' })).toBeUndefined();
  });

  it.each([
    ['on 2026-10-24', 'GB'],
    ['on 24/10/2026', 'GB'],
    ['on 24.10.2026', 'DE'],
    ['worth $1,200 or $1200000', 'US'],
    ['build #4155552671', 'US'],
    ['commit 4155552671a', 'US'],
    ['at 1.2.3.4', 'US'],
    ['v1.2.3', 'US'],
    ['+1 555 0100', undefined],
  ])('does not read %j as a phone number', (text, defaultCountry) => {
    expect(extractPhone(text, { defaultCountry })).toBeUndefined();
  });

  it('stops at the end of the number', () => {
    const text = 'new lead: Jane Doe, +44 7911 123456 2 years ago';
    const [phone] = findPhones(text);
    expect(phone?.value).toBe('+447911123456');
    expect(text.slice(phone!.spans[0]!.start, phone!.spans[0]!.end)).toBe('+44 7911 123456');
  });

  it('finds several numbers', () => {
    expect(findPhones('call +447911123456 or +1 415 555 2671').map((p) => p.value)).toEqual(['+447911123456', '+14155552671']);
  });
});

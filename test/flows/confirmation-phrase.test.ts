import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPhrase, looksLikeConfirmation, matchesPhrase, mentionsPhrase, normalisePhrase, oneTimeCode } from '../../flows/confirmation-phrase.js';

const PHRASE = 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION';

describe('confirmation phrase', () => {
  it('is built from verb, target and qualifier, with a code for critical actions', () => {
    expect(buildPhrase({ verb: 'deploy', target: 'soarix-web', qualifier: 'production' })).toBe(PHRASE);
    expect(buildPhrase({ verb: 'delete', target: 'task', qualifier: '42' })).toBe('CONFIRM DELETE TASK 42');
    expect(buildPhrase({ verb: 'register', target: 'soarix.ai', qualifier: '2 years' }, '7KQ4')).toBe('CONFIRM REGISTER SOARIX.AI 2-YEARS 7KQ4');
    expect(() => buildPhrase({ verb: 'delete', target: 'task', qualifier: 'a;b' })).toThrow();
  });

  it('forgives case and spacing', () => {
    for (const text of [PHRASE, 'confirm deploy soarix-web production', '  Confirm   Deploy soarix-WEB  production  ', 'CONFIRM\tDEPLOY SOARIX-WEB\u00a0PRODUCTION']) {
      expect(matchesPhrase(text, PHRASE), JSON.stringify(text)).toBe(true);
    }
  });

  it('forgives nothing else', () => {
    const misses = [
      'CONFIRM DEPLOY SOARIX-WEB PR\u041eDUCTION', // Cyrillic О
      'CONFIRM DEPLOY SOARIX-WEB PR0DUCTION', // zero for O
      'conf\u0131rm deploy soarix-web production', // dotless ı upper-cases to I
      'CONFIRM DEPLOY SOARIX-WEB PRODUCTION.',
      'CONFIRM DEPLOY SOARIX-WEB PRODUCTION please',
      'please CONFIRM DEPLOY SOARIX-WEB PRODUCTION',
      'yes CONFIRM DEPLOY SOARIX-WEB PRODUCTION',
      'CONFIRM DEPLOY SOARIX WEB PRODUCTION',
      'CONFIRM\u200bDEPLOY SOARIX-WEB PRODUCTION', // zero-width space
      'CONFIRM DEPLOY SOARIX-WEB STAGING',
      'CONFIRM DEPLOY SOARIX-WEB',
      '"CONFIRM DEPLOY SOARIX-WEB PRODUCTION"',
      'CONFIRM DEPLOY SOARIX-WEB PRODUCTION\nCONFIRM DEPLOY SOARIX-WEB PRODUCTION',
      '',
    ];
    for (const text of misses) expect(matchesPhrase(text, PHRASE), JSON.stringify(text)).toBe(false);
  });

  it('accepts compatibility forms that normalise to the same ASCII (full-width letters)', () => {
    expect(matchesPhrase('ＣＯＮＦＩＲＭ DEPLOY SOARIX-WEB PRODUCTION', PHRASE)).toBe(true);
  });

  it('never matches a message containing any non-ASCII character after normalisation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }), fc.nat(PHRASE.length), (insert, at) => {
        const text = PHRASE.slice(0, at) + insert + PHRASE.slice(at);
        const normalised = normalisePhrase(text);
        if (normalised !== undefined && normalised === PHRASE) {
          // Only whitespace, or compatibility forms of the very same letters, can survive.
          expect(text.normalize('NFKC').replace(/\s+/g, ' ').trim().toUpperCase()).toBe(PHRASE);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('recognises attempts, so near misses count as wrong attempts', () => {
    expect(looksLikeConfirmation('CONFIRM DEPLOY SOARIX-WEB STAGING')).toBe(true);
    expect(looksLikeConfirmation('c\u043enfirm deploy')).toBe(true);
    expect(looksLikeConfirmation('C0NFIRM DEPLOY')).toBe(true);
    expect(looksLikeConfirmation('deploy soarix-web to staging')).toBe(false);
    expect(looksLikeConfirmation('confirmation emails are broken')).toBe(false);
  });

  it('notices the phrase inside a longer message, without accepting it', () => {
    expect(mentionsPhrase('ok  confirm deploy soarix-web production thanks', PHRASE)).toBe(true);
    expect(matchesPhrase('ok  confirm deploy soarix-web production thanks', PHRASE)).toBe(false);
    expect(mentionsPhrase('deploy soarix-web to production', PHRASE)).toBe(false);
  });

  it('draws one-time codes from an alphabet without lookalikes', () => {
    const codes = Array.from({ length: 200 }, () => oneTimeCode());
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}$/);
    expect(new Set(codes).size).toBeGreaterThan(150);
  });
});

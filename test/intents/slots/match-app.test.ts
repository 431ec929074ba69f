import { describe, expect, it } from 'vitest';
import { appNames, findApp, matchApp } from '../../../intents/slots/index.js';

const APPS = ['soarix-web', 'marketing-site', 'landing-page', 'client-portal', 'acme-shop'];

describe('matchApp', () => {
  it.each([
    ['deploy the marketing site', 'marketing-site'],
    ['what about the landing page?', 'landing-page'],
    ['build soarix web', 'soarix-web'],
    ['soarixweb to prod', 'soarix-web'],
    ['Deploy Soarix-Web', 'soarix-web'],
    ['deploy the marketting site', 'marketing-site'],
    ['deploy the landng page', 'landing-page'],
    ['client portal status', 'client-portal'],
    ['clientportal', 'client-portal'],
    ['deploy soarix', 'soarix-web'],
    ['map acme.com to soarix-web', 'soarix-web'],
    // One word of a hyphenated name, when only that app has it and it is not generic.
    ['is anyone deploying the shop?', 'acme-shop'],
    ['build the acme shop', 'acme-shop'],
    ['deploy acme to staging', 'acme-shop'],
  ])('%s → %s', (text, expected) => {
    expect(matchApp(text, APPS)).toBe(expected);
  });

  it.each([
    'deploy the blog',
    'deploy the site',
    'update the web app',
    'ship the portal',
    'email jane@acme-shop.com',
    'deploy soarixweb and the landing page',
    '',
  ])('matches nothing in %j', (text) => {
    expect(matchApp(text, APPS)).toBeUndefined();
  });

  it('asks rather than guesses when the word is in two names', () => {
    expect(matchApp('is anyone deploying the shop?', [...APPS, 'bobs-shop'])).toBeUndefined();
    expect(matchApp('deploy the acme shop', [...APPS, 'bobs-shop'])).toBe('acme-shop');
    expect(matchApp('roll back soarix', ['soarix-web', 'soarix-api'])).toBeUndefined();
  });

  it('tolerates no typo in short names', () => {
    expect(matchApp('deploy web', ['web', 'api'])).toBe('web');
    expect(matchApp('deploy wed', ['web', 'api'])).toBeUndefined();
  });

  it('returns the app as configured and the words that named it', () => {
    const text = 'please ship the Marketing Site now';
    const match = findApp(text, ['Marketing-Site'])!;
    expect(match.value).toBe('Marketing-Site');
    expect(text.slice(match.spans[0]!.start, match.spans[0]!.end)).toBe('Marketing Site');
  });

  it('copes with an empty or odd catalog', () => {
    expect(matchApp('deploy soarix-web', [])).toBeUndefined();
    expect(matchApp('deploy soarix-web', ['', '---', 'soarix-web'])).toBe('soarix-web');
  });
});

describe('matchApp with the app catalog’s aliases', () => {
  const catalog = appNames([
    { name: 'soarix-web', aliases: ['the marketing site', 'soarix'] },
    { name: 'acme-shop', aliases: ['the shop', 'storefront'] },
    { name: 'client-portal' },
  ]);

  it.each([
    ['build the marketing site', 'soarix-web'],
    ['ship marketing site to prod', 'soarix-web'],
    ['deploy the markting site', 'soarix-web'],
    ['is anyone deploying the shop?', 'acme-shop'],
    ['roll back the storefront on staging', 'acme-shop'],
    ['deploy soarix-web', 'soarix-web'],
    ['client portal status', 'client-portal'],
  ])('%s → %s (the app’s name, never the alias)', (text, expected) => {
    expect(matchApp(text, catalog)).toBe(expected);
  });

  it('gives the span of the alias as written', () => {
    const text = 'build the Marketing Site please';
    const match = findApp(text, catalog)!;
    expect(match.value).toBe('soarix-web');
    expect(text.slice(match.spans[0]!.start, match.spans[0]!.end)).toBe('Marketing Site');
  });

  it('asks rather than guesses when an alias and another app’s name are equally close', () => {
    const clash = appNames([{ name: 'soarix-web', aliases: ['marketing site'] }, { name: 'marketing-site' }]);
    expect(matchApp('deploy the marketing site', clash)).toBeUndefined();
  });

  it('still reads as the list of names (for prompts, questions and logs)', () => {
    expect([...catalog]).toEqual(['soarix-web', 'acme-shop', 'client-portal']);
    expect(catalog.join(', ')).toBe('soarix-web, acme-shop, client-portal');
    expect(JSON.stringify(catalog)).toBe('["soarix-web","acme-shop","client-portal"]');
    // Without aliases, an alias is just words.
    expect(matchApp('build the marketing site', [...catalog])).toBeUndefined();
  });
});

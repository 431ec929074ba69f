import { describe, expect, it } from 'vitest';
import { findApp, matchApp } from '../../../intents/slots/index.js';

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

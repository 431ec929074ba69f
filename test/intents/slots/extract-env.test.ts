import { describe, expect, it } from 'vitest';
import { extractEnv } from '../../../intents/slots/index.js';

describe('extractEnv', () => {
  it.each([
    ['ship soarix-web to prod', 'production'],
    ['deploy to production', 'production'],
    ['deploy to PRD', 'production'],
    ['put it live', 'production'],
    ['let us go live with the landing page', 'production'],
    ['deploy to live', 'production'],
    ['check the live site', 'production'],
    ['deploy to stage', 'staging'],
    ['deploy to staging', 'staging'],
    ['push to stg', 'staging'],
    ['deploy to pre-prod', 'staging'],
    ['deploy to preprod', 'staging'],
    ['deploy to UAT', 'staging'],
    ['give me a preview', 'preview'],
    ['deploy to the preview env', 'preview'],
    ['deploy to ｐｒｏｄ', 'production'],
  ])('%s → %s', (text, expected) => {
    expect(extractEnv(text)).toBe(expected);
  });

  it.each([
    'fix the product page',
    'update the products list',
    'is the build production-ready?',
    'add a prod-like config',
    'open soarix-prod-db',
    'I live in London',
    'enable live chat',
    'deploy to dev',
    '',
  ])('finds no environment in %j', (text) => {
    expect(extractEnv(text)).toBeUndefined();
  });

  it('prefers the destination when two are named', () => {
    expect(extractEnv('promote staging to production')).toBe('production');
    expect(extractEnv('copy production to staging')).toBe('staging');
    expect(extractEnv('deploy to prod, not staging')).toBe('production');
  });
});

describe('a bare "live" in a sentence about deploys', () => {
  it.each([
    ['is the landing page live yet?', 'production'],
    ['put the marketing site live', 'production'],
    ['put the old version of the landing page back live', 'production'],
    ['which build is live on client portal right now', 'production'],
  ])('%s → %s', (text, env) => {
    expect(extractEnv(text, { deployContext: true })).toBe(env);
    expect(extractEnv(text)).toBeUndefined();
  });

  it.each(['I live in London, deploy soarix-web', 'add a live chat to the landing page', 'we live with the old build for now'])('not in "%s"', (text) => {
    expect(extractEnv(text, { deployContext: true })).toBeUndefined();
  });
});

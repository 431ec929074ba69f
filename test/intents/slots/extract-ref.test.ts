import { describe, expect, it } from 'vitest';
import { extractRef, findRef } from '../../../intents/slots/index.js';

describe('extractRef', () => {
  it.each([
    ['deploy branch feature/login to staging', 'feature/login', 'branch'],
    ['deploy from main', 'main', 'branch'],
    ['build the develop branch', 'develop', 'branch'],
    ['deploy feature/new-nav.', 'feature/new-nav', 'branch'],
    ['deploy a1b2c3d to prod', 'a1b2c3d', 'commit'],
    ['deploy commit 1234567', '1234567', 'commit'],
    ['deploy A1B2C3D4E5F6', 'a1b2c3d4e5f6', 'commit'],
    ['deploy 0123456789abcdef0123456789abcdef01234567', '0123456789abcdef0123456789abcdef01234567', 'commit'],
    ['release v1.4.2', 'v1.4.2', 'tag'],
    ['deploy tag 2.0.1', '2.0.1', 'tag'],
    ['build #42 status', '#42', 'build'],
    ['roll back to build 42', '#42', 'build'],
    ['what happened to #17?', '#17', 'build'],
  ])('%s → %s (%s)', (text, value, kind) => {
    expect(findRef(text)).toMatchObject({ value, kind });
  });

  it('prefers a keyword over a shape found without one', () => {
    expect(extractRef('deploy v1.2.3 from branch hotfix/login')).toBe('hotfix/login');
  });

  it.each([
    'the branch is broken',
    'deploy defaced', // hex letters only: a word
    'call +44 7911 123456',
    'my email is jane@acme.com',
    'the product page',
    'deploy to staging',
    'branch foo..bar',
    '',
  ])('finds no ref in %j', (text) => {
    expect(extractRef(text)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { extractRef, extractSlots } from '../../../intents/slots/index.js';
import { EVALUATION_APPS } from './independent-set.js';

const CONTEXT = { now: Date.parse('2026-11-21T10:00:00Z'), timezone: 'Europe/London', apps: EVALUATION_APPS };

describe('refs as people say them in build and deploy requests', () => {
  it('reads the name said before "branch"', () => {
    expect(extractRef('build the hotfix branch of api')).toBe('hotfix');
    expect(extractRef('did the build of the hotfix branch succeed')).toBe('hotfix');
    expect(extractRef("put priya's feature/search branch on preview")).toBe('feature/search');
    expect(extractRef('deploy the release-candidate branch onto production')).toBe('release-candidate');
  });

  it('does not take the words around "branch" for its name', () => {
    expect(extractRef('deploy the hotfix branch of shop')).toBe('hotfix');
    expect(extractRef('build the new branch')).toBeUndefined();
    expect(extractRef('which branch is on staging')).toBeUndefined();
    expect(extractRef('build my branch')).toBeUndefined();
    expect(extractRef('the branch of the shop is broken')).toBeUndefined();
  });

  it('reads a bare main, master, develop or trunk', () => {
    expect(extractRef('/build api main')).toBe('main');
    expect(extractRef('deploy api main to staging')).toBe('main');
    expect(extractRef('build the latest main for the store')).toBe('main');
    expect(extractRef('roll back to master')).toBe('master');
  });

  it('leaves "main" alone when it is the adjective', () => {
    expect(extractRef('deploy the main site to prod')).toBeUndefined();
    expect(extractRef('rebuild the main page of the shop')).toBeUndefined();
    expect(extractRef('what is the main reason the build failed')).toBeUndefined();
  });

  it('prefers a named ref over a bare main', () => {
    expect(extractRef('deploy main of api at v2.3.1')).toBe('main');
    expect(extractRef('deploy commit a1b2c3d on main')).toBe('a1b2c3d');
  });
});

describe('environments and refs together', () => {
  it('does not read a branch named after an environment as the environment', () => {
    expect(extractSlots('build soarix-web from the staging branch', 'build.start', CONTEXT)).toEqual({ app: 'soarix-web', ref: 'staging' });
    expect(extractSlots('deploy the staging branch of api to prod', 'deploy.create', CONTEXT)).toEqual({ app: 'api', ref: 'staging', env: 'production' });
  });

  it('still reads the environment next to a ref', () => {
    expect(extractSlots('deploy api main to staging', 'deploy.create', CONTEXT)).toEqual({ app: 'api', ref: 'main', env: 'staging' });
    expect(extractSlots('put the hotfix branch of the store on preview', 'deploy.create', CONTEXT)).toEqual({ app: 'shop', ref: 'hotfix', env: 'preview' });
  });

  it('reads the run a cancel names: app and environment, nothing else', () => {
    expect(extractSlots('stop the prod deploy of the store', 'cancel', CONTEXT)).toEqual({ app: 'shop', env: 'production' });
    expect(extractSlots('cancel the build of main', 'cancel', CONTEXT)).toEqual({});
    expect(extractSlots('cancel', 'cancel', CONTEXT)).toEqual({});
  });
});

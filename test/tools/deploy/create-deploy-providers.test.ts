import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuildProviders, ProviderNotConfiguredError } from '../../../tools/build/index.js';
import { createDeployProviders } from '../../../tools/deploy/index.js';

describe('provider sets by catalog name', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sb-providers-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('give each provider by its name, once; a provider without credentials is refused naming the setting', () => {
    const builds = createBuildProviders({ dataDir });
    expect(builds.get('local').name).toBe('local');
    expect(builds.get('sandbox')).toBe(builds.get('sandbox'));
    expect(builds.artifactsDir).toBe(path.join(dataDir, 'builds', 'artifacts'));
    expect(() => builds.get('github-actions')).toThrow(ProviderNotConfiguredError);
    expect(() => builds.get('github-actions')).toThrow('GitHub Actions is not set up: set GITHUB_TOKEN and restart Switchboard.');
    expect(createBuildProviders({ dataDir, github: { token: 'ghp_x0000000000' } }).get('github-actions').name).toBe('github-actions');

    const deploys = createDeployProviders({ dataDir });
    expect(deploys.get('local').name).toBe('local');
    expect(deploys.get('sandbox').name).toBe('sandbox');
    expect(() => deploys.get('vercel')).toThrow('Vercel is not set up: set VERCEL_TOKEN and restart Switchboard.');
    expect(createDeployProviders({ dataDir, vercel: { token: 'vercel_token_0000' } }).get('vercel').name).toBe('vercel');
  });

  it('the sandbox keeps what is live under DATA_DIR, so a restart still knows', async () => {
    const ctx = { signal: new AbortController().signal, step: async () => undefined, log: () => undefined };
    const ref = { app: 'demo', env: 'staging' as const, target: {} };
    const first = createDeployProviders({ dataDir, sandboxStepDelayMs: 1 }).get('sandbox');
    const deployed = await first.deploy({ ...ref, deployId: 'd1', commit: 'abcdef1' }, ctx);
    const afterRestart = createDeployProviders({ dataDir, sandboxStepDelayMs: 1 }).get('sandbox');
    expect((await afterRestart.current(ref))?.releaseId).toBe(deployed.releaseId);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BuildCancelledError,
  GitHubActionsBuildProvider,
  LocalBuildProvider,
  SandboxBuildProvider,
  type BuildProvider,
  type BuildRequest,
  type ProviderRunContext,
} from '../../../tools/build/index.js';
import { FAKE_GITHUB_TOKEN, GitHubFake } from '../../support/fakes/github/index.js';
import { makeSiteRepo } from './git-fixture.js';

/** What every build provider promises the jobs runtime, whichever platform runs the build. */
interface Harness {
  provider: BuildProvider;
  request: Omit<BuildRequest, 'buildId'>;
  close(): Promise<void>;
}

const base = { app: 'site', ref: 'main', commands: ['mkdir -p dist && cp index.html dist/'], outputDir: 'dist', env: {}, timeoutMs: 20_000, maxOutputBytes: 100_000 };

const implementations: Array<[string, () => Promise<Harness>]> = [
  [
    'local',
    async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'sb-build-contract-'));
      const repo = makeSiteRepo(path.join(root, 'repo'));
      return {
        provider: new LocalBuildProvider({ workDir: path.join(root, 'work'), artifactsDir: path.join(root, 'artifacts') }),
        request: { ...base, repository: repo.dir },
        close: () => rm(root, { recursive: true, force: true }),
      };
    },
  ],
  ['sandbox', async () => ({ provider: new SandboxBuildProvider({ stepDelayMs: 1 }), request: { ...base, repository: 'acme/site' }, close: async () => undefined })],
  [
    'github-actions',
    async () => {
      const fake = await new GitHubFake().start();
      fake.addRepo('acme/site', { workflows: [{ id: 1, file: 'build.yml', dispatchable: true }] });
      return {
        provider: new GitHubActionsBuildProvider({ token: FAKE_GITHUB_TOKEN, baseUrl: fake.url, pollIntervalMs: 20 }),
        request: { ...base, repository: 'acme/site', settings: { workflow: 'build.yml' } },
        close: () => fake.stop(),
      };
    },
  ],
];

describe.each(implementations)('build provider contract: %s', (_name, make) => {
  let h: Harness;
  let n = 0;
  beforeEach(async () => {
    h = await make();
  });
  afterEach(async () => {
    await h.close();
  });

  it('a build reports steps as it goes and ends with the full commit sha it built', async () => {
    const steps: string[] = [];
    const ctx: ProviderRunContext = { signal: new AbortController().signal, step: async (s) => void steps.push(s), log: () => undefined };
    const result = await h.provider.build({ ...h.request, buildId: `c${++n}` }, ctx);
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(steps.length).toBeGreaterThan(0);
    expect(new Set(steps).size).toBe(steps.length);
  });

  it('a build cancelled before it starts does nothing and says cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const steps: string[] = [];
    const ctx: ProviderRunContext = { signal: controller.signal, step: async (s) => void steps.push(s), log: () => undefined };
    await expect(h.provider.build({ ...h.request, buildId: `c${++n}` }, ctx)).rejects.toBeInstanceOf(BuildCancelledError);
    expect(steps).toEqual([]);
  });
});

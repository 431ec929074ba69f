import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderRunContext } from '../../../tools/build/index.js';
import {
  DeployCancelledError,
  LocalDeployProvider,
  SandboxDeployProvider,
  VercelDeployProvider,
  type DeployProvider,
  type DeployRequest,
} from '../../../tools/deploy/index.js';
import { FAKE_VERCEL_TOKEN, VercelFake } from '../../support/fakes/vercel/index.js';

/**
 * What every deploy provider promises the jobs runtime, whichever platform is behind it (LangGraph's
 * checkpoint-validation habit: each implementation joins with a few lines).
 */
interface Harness {
  provider: DeployProvider;
  target: Record<string, unknown>;
  /** Any extra fields a deploy of this commit needs (an artifact for local). */
  extra(commit: string): Partial<DeployRequest>;
  close(): Promise<void>;
}

const implementations: Array<[string, () => Promise<Harness>]> = [
  [
    'local',
    async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'sb-contract-'));
      return {
        provider: new LocalDeployProvider(),
        target: { path: path.join(root, 'site') },
        extra: (commit) => {
          const dir = path.join(root, 'artifacts', commit);
          mkdirSync(dir, { recursive: true });
          writeFileSync(path.join(dir, 'index.html'), commit);
          return { artifactPath: dir };
        },
        close: () => rm(root, { recursive: true, force: true }),
      };
    },
  ],
  [
    'sandbox',
    async () => ({ provider: new SandboxDeployProvider({ stepDelayMs: 1 }), target: {}, extra: () => ({}), close: async () => undefined }),
  ],
  [
    'vercel',
    async () => {
      const fake = await new VercelFake().start();
      fake.addProject('site', { repo: 'acme/site' });
      return {
        provider: new VercelDeployProvider({ token: FAKE_VERCEL_TOKEN, baseUrl: fake.url, pollIntervalMs: 10 }),
        target: { project: 'site', repository: 'acme/site' },
        extra: () => ({}),
        close: () => fake.stop(),
      };
    },
  ],
];

function ctx(signal = new AbortController().signal): ProviderRunContext {
  return { signal, step: async () => undefined, log: () => undefined };
}

describe.each(implementations)('deploy provider contract: %s', (_name, make) => {
  let h: Harness;
  beforeEach(async () => {
    h = await make();
  });
  afterEach(async () => {
    await h.close();
  });
  const ref = () => ({ app: 'site', env: 'production' as const, target: h.target });
  const request = (commit: string): DeployRequest => ({ ...ref(), deployId: `d-${commit}`, commit, ...h.extra(commit) });

  it('nothing is live before the first deploy; a deploy makes its commit live', async () => {
    expect(await h.provider.current(ref())).toBeUndefined();
    const first = await h.provider.deploy(request('1111111aaaa'), ctx());
    expect(first.previous).toBeUndefined();
    const live = await h.provider.current(ref());
    expect(live?.releaseId).toBe(first.releaseId);
    expect(live?.commit).toBe('1111111aaaa');
    expect(live?.since).toBeInstanceOf(Date);
  });

  it('a second deploy names the first as previous, and a rollback brings the first back', async () => {
    const first = await h.provider.deploy(request('1111111aaaa'), ctx());
    const second = await h.provider.deploy(request('2222222bbbb'), ctx());
    expect(second.previous).toBe(first.releaseId);
    const back = await h.provider.rollback(ref(), ctx());
    expect(back.releaseId).toBe(first.releaseId);
    expect(back.previous).toBe(second.releaseId);
    expect((await h.provider.current(ref()))?.commit).toBe('1111111aaaa');
  });

  it('a deploy cancelled before it starts changes nothing', async () => {
    const first = await h.provider.deploy(request('1111111aaaa'), ctx());
    const controller = new AbortController();
    controller.abort();
    await expect(h.provider.deploy(request('3333333cccc'), ctx(controller.signal))).rejects.toBeInstanceOf(DeployCancelledError);
    expect((await h.provider.current(ref()))?.releaseId).toBe(first.releaseId);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BuildCancelledError,
  BuildFailedError,
  BuildTimeoutError,
  GitHubActionsBuildProvider,
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  parseGitHubRepository,
  type BuildRequest,
  type ProviderRunContext,
} from '../../../tools/build/index.js';
import { FAKE_GITHUB_TOKEN, GitHubFake } from '../../support/fakes/github/index.js';

function ctx(signal = new AbortController().signal) {
  const steps: string[] = [];
  const lines: string[] = [];
  const c: ProviderRunContext = { signal, step: async (s) => void steps.push(s), log: (l) => lines.push(l) };
  return { c, steps, lines };
}

const req = (over: Partial<BuildRequest> = {}): BuildRequest => ({
  buildId: 'b1',
  app: 'soarix-web',
  repository: 'https://github.com/soarix/web.git',
  ref: 'main',
  commands: [],
  outputDir: 'dist',
  env: {},
  timeoutMs: 20_000,
  maxOutputBytes: 0,
  settings: { workflow: 'build.yml', inputs: { environment: 'staging' } },
  ...over,
});

describe('github-actions build provider against the GitHub fake', () => {
  let fake: GitHubFake;
  let provider: GitHubActionsBuildProvider;

  beforeEach(async () => {
    fake = await new GitHubFake().start();
    fake.addRepo('soarix/web', {
      refs: ['main', 'release'],
      workflows: [
        { id: 101, file: 'build.yml', dispatchable: true, inputs: ['environment'] },
        { id: 102, file: 'ci.yml', dispatchable: false },
      ],
    });
    provider = new GitHubActionsBuildProvider({ token: FAKE_GITHUB_TOKEN, baseUrl: fake.url, pollIntervalMs: 25 });
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('dispatches the workflow with ref and inputs, finds its own run among others, and follows it to success', async () => {
    const other = fake.foreignRun('soarix/web', 'build.yml', 'main');
    const { c, steps, lines } = ctx();
    const result = await provider.build(req(), c);
    expect(result.commit).toBe(fake.shaOf('soarix/web', 'main'));
    expect(result.url).toMatch(/^https:\/\/github\.com\/soarix\/web\/actions\/runs\/\d+$/);
    expect(result.url).not.toContain(String(other.id));
    expect(steps).toEqual(['dispatch', 'waiting for a GitHub runner', 'running on GitHub Actions']);
    expect(lines.some((l) => l.includes('dispatched build.yml on main'))).toBe(true);

    const dispatch = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/dispatches'))!;
    expect(dispatch.path).toBe('/repos/soarix/web/actions/workflows/build.yml/dispatches');
    expect(dispatch.body).toEqual({ ref: 'main', inputs: { environment: 'staging' } });
    expect(fake.requests.every((r) => r.authorization === `token ${FAKE_GITHUB_TOKEN}`)).toBe(true);
    const list = fake.requests.find((r) => r.path.includes('/runs?'))!;
    expect(list.path).toContain('event=workflow_dispatch');
    expect(list.path).toContain('branch=main');
    expect(decodeURIComponent(list.path)).toMatch(/created=>=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('a run that ends in failure names the failing job and step and links the run', async () => {
    fake.nextRun({ conclusion: 'failure', queuedMs: 20, runningMs: 40, failingStep: 'Run npm test' });
    const error = await provider.build(req(), ctx().c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failed = error as BuildFailedError;
    expect(failed.step).toBe('build: Run npm test');
    expect(failed.url).toMatch(/actions\/runs\/\d+$/);
    expect(failed.message).toContain('Run npm test');
  });

  it('401 Bad credentials becomes an auth error that names the setting, not the token', async () => {
    const wrong = new GitHubActionsBuildProvider({ token: 'ghp_wrong', baseUrl: fake.url, pollIntervalMs: 25 });
    const error = await wrong.build(req(), ctx().c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toBe('GitHub did not accept the credentials; check GITHUB_TOKEN.');
  });

  it('404 for an unknown workflow or repository', async () => {
    const e1 = await provider.build(req({ settings: { workflow: 'nope.yml' } }), ctx().c).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ProviderNotFoundError);
    expect((e1 as Error).message).toContain('nope.yml');
    const e2 = await provider.build(req({ repository: 'soarix/missing' }), ctx().c).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ProviderNotFoundError);
  });

  it("422 for a workflow without the trigger, an unknown ref, and undeclared inputs, in GitHub's words", async () => {
    const noTrigger = await provider.build(req({ settings: { workflow: 'ci.yml' } }), ctx().c).catch((e: unknown) => e);
    expect(noTrigger).toBeInstanceOf(ProviderRejectedError);
    expect((noTrigger as Error).message).toContain("Workflow does not have 'workflow_dispatch' trigger");
    const noRef = await provider.build(req({ ref: 'feature-x' }), ctx().c).catch((e: unknown) => e);
    expect((noRef as Error).message).toContain('No ref found for: feature-x');
    const inputs = await provider.build(req({ settings: { workflow: 'build.yml', inputs: { secretz: '1' } } }), ctx().c).catch((e: unknown) => e);
    expect((inputs as Error).message).toContain('Unexpected inputs provided');
  });

  it('rate limits (403 with x-ratelimit-remaining 0, or 429 with retry-after) say when to retry', async () => {
    fake.rateLimit('403', 30);
    const e403 = (await provider.build(req(), ctx().c).catch((e: unknown) => e)) as ProviderRateLimitedError;
    expect(e403).toBeInstanceOf(ProviderRateLimitedError);
    expect(e403.retryAfterMs).toBeGreaterThan(25_000);
    expect(e403.retryAfterMs).toBeLessThanOrEqual(31_000);
    fake.rateLimit('429', 7);
    const e429 = (await provider.build(req(), ctx().c).catch((e: unknown) => e)) as ProviderRateLimitedError;
    expect(e429).toBeInstanceOf(ProviderRateLimitedError);
    expect(e429.retryAfterMs).toBe(7000);
    expect(e429.message).toContain('7 s');
  });

  it('a cancel while the run is going cancels the run on GitHub', async () => {
    fake.nextRun({ conclusion: 'success', queuedMs: 20, runningMs: 10_000 });
    const controller = new AbortController();
    const { c, steps } = ctx(controller.signal);
    const run = provider.build(req(), c).catch((e: unknown) => e);
    while (!steps.includes('running on GitHub Actions')) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await run).toBeInstanceOf(BuildCancelledError);
    const cancel = fake.requests.find((r) => r.path.endsWith('/cancel'));
    expect(cancel?.method).toBe('POST');
    const runId = Number(/runs\/(\d+)\/cancel/.exec(cancel!.path)![1]);
    expect(fake.runs.get(runId)?.cancelledAt).toBeDefined();
  });

  it('a run that outlasts the time limit is cancelled and reported as timed out', async () => {
    fake.nextRun({ conclusion: 'success', queuedMs: 10, runningMs: 10_000 });
    const error = await provider.build(req({ timeoutMs: 600 }), ctx().c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildTimeoutError);
    expect(fake.requests.some((r) => r.path.endsWith('/cancel'))).toBe(true);
  });

  it('a rate limit while following the run is waited out; the build still succeeds', async () => {
    fake.nextRun({ conclusion: 'success', queuedMs: 10, runningMs: 300 });
    const c: ProviderRunContext = {
      signal: new AbortController().signal,
      step: async (name) => {
        if (name === 'running on GitHub Actions') fake.rateLimit('429', 0, 2);
      },
      log: () => undefined,
    };
    const result = await provider.build(req(), c);
    expect(result.commit).toBe(fake.shaOf('soarix/web', 'main'));
    expect(fake.rateLimited).toBe(2);
    expect(fake.requests.some((r) => r.path.endsWith('/cancel'))).toBe(false);
  });

  it('when following the run fails for good (the job is stopped), the run on GitHub is cancelled too', async () => {
    fake.nextRun({ conclusion: 'success', queuedMs: 10, runningMs: 10_000 });
    const c: ProviderRunContext = {
      signal: new AbortController().signal,
      step: async (name) => {
        if (name === 'running on GitHub Actions') throw new Error('lock broken by an admin');
      },
      log: () => undefined,
    };
    await expect(provider.build(req(), c)).rejects.toThrow('lock broken by an admin');
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toBe(true);
  });

  it('reads owner/repo from the usual ways of writing a GitHub repository', () => {
    for (const form of ['soarix/web', 'https://github.com/soarix/web', 'https://github.com/soarix/web.git', 'git@github.com:soarix/web.git']) {
      expect(parseGitHubRepository(form)).toEqual({ owner: 'soarix', repo: 'web' });
    }
    expect(parseGitHubRepository('/srv/git/web')).toBeUndefined();
  });
});

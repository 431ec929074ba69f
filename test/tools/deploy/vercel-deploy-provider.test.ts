import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  type ProviderRunContext,
} from '../../../tools/build/index.js';
import {
  DeployCancelledError,
  DeployFailedError,
  HealthCheckFailedError,
  RollbackRefusedError,
  VercelDeployProvider,
  type DeployRequest,
} from '../../../tools/deploy/index.js';
import { FAKE_VERCEL_TOKEN, VercelFake } from '../../support/fakes/vercel/index.js';

function ctx(signal = new AbortController().signal) {
  const steps: string[] = [];
  const c: ProviderRunContext = { signal, step: async (s) => void steps.push(s), log: () => undefined };
  return { c, steps };
}

describe('vercel deploy provider against the Vercel fake', () => {
  let fake: VercelFake;
  let provider: VercelDeployProvider;
  const target = { project: 'soarix-web', repository: 'https://github.com/soarix/web', ref: 'main' };
  const req = (commit: string, over: Partial<DeployRequest> = {}): DeployRequest => ({
    deployId: `d-${commit}`,
    app: 'soarix-web',
    env: 'production',
    commit,
    target,
    ...over,
  });

  beforeEach(async () => {
    fake = await new VercelFake().start();
    fake.addProject('soarix-web', { repo: 'soarix/web' });
    provider = new VercelDeployProvider({ token: FAKE_VERCEL_TOKEN, baseUrl: fake.url, pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('creates a production deployment from the Git source, follows readyState to READY, and reports what is live', async () => {
    const { c, steps } = ctx();
    const first = await provider.deploy(req('a1b2c3d4e5f6'), c);
    expect(steps).toEqual(['create deployment', 'queued on Vercel', 'building on Vercel']);
    expect(first.releaseId).toMatch(/^dpl_/);
    expect(first.url).toMatch(/^https:\/\/soarix-web-[0-9a-f]+\.vercel\.app$/);
    expect(first.previous).toBeUndefined();
    const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/v13/deployments')!;
    expect(create.authorization).toBe(`Bearer ${FAKE_VERCEL_TOKEN}`);
    expect(create.body).toEqual({
      name: 'soarix-web',
      project: 'soarix-web',
      target: 'production',
      gitSource: { type: 'github', org: 'soarix', repo: 'web', ref: 'main', sha: 'a1b2c3d4e5f6' },
      meta: { switchboardDeployId: 'd-a1b2c3d4e5f6' },
    });
    expect(fake.productionOf('soarix-web')).toBe(first.releaseId);
    const live = await provider.current({ app: 'soarix-web', env: 'production', target });
    expect(live).toMatchObject({ releaseId: first.releaseId, commit: 'a1b2c3d4e5f6' });

    const second = await provider.deploy(req('0f0f0f0f0f0f'), ctx().c);
    expect(second.previous).toBe(first.releaseId);
  });

  it('staging sends target staging; a preview sends no target', async () => {
    await provider.deploy(req('1111111', { env: 'staging' }), ctx().c);
    await provider.deploy(req('2222222', { env: 'preview' }), ctx().c);
    const bodies = fake.requests.filter((r) => r.path === '/v13/deployments').map((r) => r.body as Record<string, unknown>);
    expect(bodies[0]!.target).toBe('staging');
    expect('target' in bodies[1]!).toBe(false);
    expect((await provider.current({ app: 'soarix-web', env: 'staging', target }))?.commit).toBe('1111111');
  });

  it('a deployment that ends in ERROR fails with Vercel’s message and the inspector link', async () => {
    fake.nextDeployment({ outcome: 'ERROR', errorMessage: 'Command "npm run build" exited with 1' });
    const error = await provider.deploy(req('3333333'), ctx().c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployFailedError);
    expect((error as Error).message).toContain('Command "npm run build" exited with 1');
    expect((error as DeployFailedError).url).toMatch(/^https:\/\/vercel\.com\//);
  });

  it('a cancel while building cancels the deployment on Vercel', async () => {
    fake.nextDeployment({ outcome: 'READY', queuedMs: 10, buildingMs: 10_000 });
    const controller = new AbortController();
    const { c, steps } = ctx(controller.signal);
    const run = provider.deploy(req('4444444'), c).catch((e: unknown) => e);
    while (!steps.includes('building on Vercel')) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await run).toBeInstanceOf(DeployCancelledError);
    const cancel = fake.requests.find((r) => r.method === 'PATCH')!;
    expect(cancel.path).toMatch(/^\/v12\/deployments\/dpl_[^/]+\/cancel$/);
    expect([...fake.deployments.values()][0]!.readyState).toBe('CANCELED');
  });

  it('a rate limit while Vercel builds is waited out; a job stopped while it builds cancels the deployment', async () => {
    fake.nextDeployment({ outcome: 'READY', queuedMs: 10, buildingMs: 200 });
    let limited = false;
    const waits: ProviderRunContext = {
      signal: new AbortController().signal,
      step: async (name) => {
        if (name === 'building on Vercel' && !limited) {
          limited = true;
          fake.failNext(429, { error: { code: 'rate_limited', message: 'Rate limit exceeded' } }, { 'retry-after': '0' });
        }
      },
      log: () => undefined,
    };
    const ok = await provider.deploy(req('abababa'), waits);
    expect(fake.deployments.get(ok.releaseId)?.readyState).toBe('READY');
    expect(fake.requests.some((r) => r.method === 'PATCH')).toBe(false);

    fake.nextDeployment({ outcome: 'READY', queuedMs: 10, buildingMs: 10_000 });
    const stops: ProviderRunContext = {
      signal: new AbortController().signal,
      step: async (name) => {
        if (name === 'building on Vercel') throw new Error('lock broken by an admin');
      },
      log: () => undefined,
    };
    await expect(provider.deploy(req('cdcdcdc'), stops)).rejects.toThrow('lock broken by an admin');
    expect([...fake.deployments.values()].find((d) => d.meta.githubCommitSha === 'cdcdcdc')?.readyState).toBe('CANCELED');
  });

  describe('health check and rollback', () => {
    let server: Server;
    let healthy = true;
    let healthUrl: string;
    beforeEach(async () => {
      server = createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      healthUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    });
    afterEach(async () => {
      await new Promise((r) => server.close(r));
    });

    it('a production deployment that fails its health check is rolled back to the previous one', async () => {
      const good = await provider.deploy(req('5555555'), ctx().c);
      healthy = false;
      const error = await provider.deploy(req('6666666', { healthCheck: { url: healthUrl, timeoutMs: 500 } }), ctx().c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HealthCheckFailedError);
      expect((error as HealthCheckFailedError).restored).toBe(good.releaseId);
      expect(fake.requests.some((r) => r.method === 'POST' && r.path.startsWith(`/v1/projects/soarix-web/rollback/${good.releaseId}`))).toBe(true);
      expect(fake.productionOf('soarix-web')).toBe(good.releaseId);
    });

    it('rolls production back to the previous ready deployment or a named one; other environments are refused', async () => {
      const a = await provider.deploy(req('aaaaaaa'), ctx().c);
      const b = await provider.deploy(req('bbbbbbb'), ctx().c);
      const c2 = await provider.deploy(req('ccccccc'), ctx().c);
      const ref = { app: 'soarix-web', env: 'production' as const, target };
      const back = await provider.rollback(ref, ctx().c);
      expect(back).toMatchObject({ releaseId: b.releaseId, previous: c2.releaseId });
      expect(fake.productionOf('soarix-web')).toBe(b.releaseId);
      expect((await provider.rollback({ ...ref, toRelease: a.releaseId }, ctx().c)).releaseId).toBe(a.releaseId);
      expect((await provider.current(ref))?.commit).toBe('aaaaaaa');
      await expect(provider.rollback({ ...ref, toRelease: a.releaseId }, ctx().c)).rejects.toBeInstanceOf(RollbackRefusedError);
      await expect(provider.rollback({ ...ref, env: 'staging' }, ctx().c)).rejects.toBeInstanceOf(RollbackRefusedError);
    });
  });

  it('promotes through the project endpoint when the project does not assign domains itself', async () => {
    fake.addProject('manual-site', { repo: 'soarix/web', autoAssign: false });
    const t = { ...target, project: 'manual-site', promote: true };
    const result = await provider.deploy(req('7777777', { target: t }), ctx().c);
    expect(fake.requests.some((r) => r.path === `/v10/projects/manual-site/promote/${result.releaseId}`)).toBe(true);
    expect(fake.productionOf('manual-site')).toBe(result.releaseId);
  });

  it('errors: refused token (403 invalidToken, 401), unknown project (404), rate limit (429), bad Git source (400)', async () => {
    const wrong = new VercelDeployProvider({ token: 'nope-nope-nope', baseUrl: fake.url, pollIntervalMs: 20 });
    const e403 = await wrong.deploy(req('8888888'), ctx().c).catch((e: unknown) => e);
    expect(e403).toBeInstanceOf(ProviderAuthError);
    expect((e403 as Error).message).toBe('Vercel did not accept the credentials; check VERCEL_TOKEN.');
    fake.failNext(401, { error: { code: 'unauthorized', message: 'The request is not authorized.' } });
    await expect(provider.current({ app: 'x', env: 'production', target })).rejects.toBeInstanceOf(ProviderAuthError);

    const e404 = await provider.deploy(req('9999999', { target: { ...target, project: 'no-such-project' } }), ctx().c).catch((e: unknown) => e);
    expect(e404).toBeInstanceOf(ProviderNotFoundError);
    expect((e404 as Error).message).toContain('no-such-project');

    fake.failNext(429, { error: { code: 'rate_limited', message: 'Rate limit exceeded' } }, { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 20) });
    const e429 = (await provider.current({ app: 'x', env: 'production', target }).catch((e: unknown) => e)) as ProviderRateLimitedError;
    expect(e429).toBeInstanceOf(ProviderRateLimitedError);
    expect(e429.retryAfterMs).toBeGreaterThan(15_000);
    expect(e429.retryAfterMs).toBeLessThanOrEqual(21_000);

    const e400 = await provider.deploy(req('1212121', { target: { ...target, repository: 'someone/else' } }), ctx().c).catch((e: unknown) => e);
    expect(e400).toBeInstanceOf(ProviderRejectedError);
    expect((e400 as Error).message).toContain('does not match the one linked to the project');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonFileSandboxStore, MemorySandboxStore, type ProviderRunContext } from '../../../tools/build/index.js';
import { DeployCancelledError, HealthCheckFailedError, RollbackRefusedError, SandboxDeployProvider, type DeployRequest } from '../../../tools/deploy/index.js';

function ctx(signal = new AbortController().signal) {
  const steps: string[] = [];
  const c: ProviderRunContext = { signal, step: async (s) => void steps.push(s), log: () => undefined };
  return { c, steps };
}

describe('sandbox deploy provider', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sb-sandbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const ref = { app: 'demo', env: 'production' as const, target: {} };
  const req = (commit: string, over: Partial<DeployRequest> = {}): DeployRequest => ({ ...ref, deployId: `d-${commit}`, commit, healthCheck: { url: 'https://x.invalid' }, ...over });

  it('deploys, answers what is live (from the file, after a restart), rolls back; every result says SANDBOX', async () => {
    const provider = new SandboxDeployProvider({ store: new JsonFileSandboxStore(dir), stepDelayMs: 2 });
    const { c, steps } = ctx();
    const first = await provider.deploy(req('a1b2c3d4e5'), c);
    expect(steps).toEqual(['prepare release', 'switch', 'health check']);
    expect(first.sandbox).toBe(true);
    expect(first.url).toBe('https://demo-production.sandbox.invalid');
    const second = await provider.deploy(req('f6e5d4c3b2'), ctx().c);
    expect(second.previous).toBe(first.releaseId);

    // A new instance over the same folder: what a restarted service would see.
    const restarted = new SandboxDeployProvider({ store: new JsonFileSandboxStore(dir), stepDelayMs: 2 });
    const live = await restarted.current(ref);
    expect(live).toMatchObject({ releaseId: second.releaseId, commit: 'f6e5d4c3b2', sandbox: true });
    const back = await restarted.rollback(ref, ctx().c);
    expect(back).toMatchObject({ releaseId: first.releaseId, previous: second.releaseId, sandbox: true });
    expect((await restarted.current(ref))?.commit).toBe('a1b2c3d4e5');
    await expect(restarted.rollback(ref, ctx().c)).rejects.toBeInstanceOf(RollbackRefusedError);
    expect(await restarted.current({ ...ref, env: 'staging' })).toBeUndefined();
  });

  it('a simulated failing check switches back and the release is skipped by rollbacks', async () => {
    const provider = new SandboxDeployProvider({ stepDelayMs: 2 });
    const good = await provider.deploy(req('1111111'), ctx().c);
    const error = await provider.deploy(req('2222222', { target: { simulate: 'health_check_fails' } }), ctx().c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HealthCheckFailedError);
    expect((error as HealthCheckFailedError).restored).toBe(good.releaseId);
    expect((await provider.current(ref))?.releaseId).toBe(good.releaseId);
    await provider.deploy(req('3333333'), ctx().c);
    expect((await provider.rollback(ref, ctx().c)).releaseId).toBe(good.releaseId);
  });

  it('a cancel during the check leaves the previous release live', async () => {
    const store = new MemorySandboxStore();
    const provider = new SandboxDeployProvider({ store, stepDelayMs: 2 });
    const good = await provider.deploy(req('1111111'), ctx().c);
    const slow = new SandboxDeployProvider({ store, stepDelayMs: 300 });
    const controller = new AbortController();
    const { c, steps } = ctx(controller.signal);
    const run = slow.deploy(req('2222222'), c).catch((e: unknown) => e);
    while (!steps.includes('health check')) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await run).toBeInstanceOf(DeployCancelledError);
    expect((await provider.current(ref))?.releaseId).toBe(good.releaseId);
  });
});

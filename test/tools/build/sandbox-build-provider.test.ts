import { describe, expect, it } from 'vitest';
import { BuildCancelledError, BuildFailedError, SandboxBuildProvider, type BuildRequest, type ProviderRunContext } from '../../../tools/build/index.js';

const req = (over: Partial<BuildRequest> = {}): BuildRequest => ({
  buildId: 'b1',
  app: 'demo',
  repository: 'https://example.invalid/demo.git',
  ref: 'main',
  commands: ['npm run build'],
  outputDir: 'dist',
  env: {},
  timeoutMs: 10_000,
  maxOutputBytes: 10_000,
  ...over,
});

function ctx(signal = new AbortController().signal) {
  const steps: string[] = [];
  const c: ProviderRunContext = { signal, step: async (s) => void steps.push(s), log: () => undefined };
  return { c, steps };
}

describe('sandbox build provider', () => {
  const provider = new SandboxBuildProvider({ stepDelayMs: 5 });

  it('moves through the same steps as a real build and labels the result SANDBOX', async () => {
    const { c, steps } = ctx();
    const result = await provider.build(req(), c);
    expect(steps).toEqual(['checkout', 'run npm run build', 'store artifact']);
    expect(result.sandbox).toBe(true);
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await provider.build(req({ ref: 'other' }), ctx().c)).commit).not.toBe(result.commit);
  });

  it('a ref starting with "fail" fails at the build step with log lines', async () => {
    const error = await provider.build(req({ ref: 'fail-demo' }), ctx().c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as BuildFailedError).step).toBe('run npm run build');
    expect((error as BuildFailedError).lastLines.join('\n')).toContain('fail-demo');
  });

  it('stops as soon as it is cancelled', async () => {
    const controller = new AbortController();
    const slow = new SandboxBuildProvider({ stepDelayMs: 5_000 });
    const run = slow.build(req(), ctx(controller.signal).c).catch((e: unknown) => e);
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    const error = await run;
    expect(error).toBeInstanceOf(BuildCancelledError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

import { createHash } from 'node:crypto';
import { BuildCancelledError, BuildFailedError } from './build-errors.js';
import type { BuildProvider, BuildRequest, BuildResult, ProviderRunContext } from './build-provider.js';
import { abortableDelay } from './sandbox-store.js';

export interface SandboxBuildProviderOptions {
  /** Pause per step, so progress messages show as they would for a real build. */
  stepDelayMs?: number;
}

/**
 * A pretend build for apps with no build configured: the same steps, progress and outcomes as a real
 * one, no repository touched, `sandbox: true` on the result so every reply says SANDBOX.
 * A ref starting with `fail` fails at the build step, so the failure path can be tried too.
 */
export class SandboxBuildProvider implements BuildProvider {
  readonly name = 'sandbox' as const;

  constructor(private readonly options: SandboxBuildProviderOptions = {}) {}

  async build(req: BuildRequest, ctx: ProviderRunContext): Promise<BuildResult> {
    const startedAt = Date.now();
    const delay = this.options.stepDelayMs ?? 400;
    // A 40-hex ref is a commit already; anything else gets a stable made-up sha.
    const commit = /^[0-9a-f]{40}$/i.test(req.ref) ? req.ref.toLowerCase() : createHash('sha1').update(`${req.repository}#${req.ref}`).digest('hex');
    const steps = ['checkout', ...req.commands.map((c) => `run ${c}`), 'store artifact'];
    for (const step of steps) {
      if (ctx.signal.aborted) throw new BuildCancelledError(step);
      await ctx.step(step);
      ctx.log(`[sandbox] ${step}`);
      await abortableDelay(delay, ctx.signal, () => new BuildCancelledError(step));
      if (step.startsWith('run ') && /^fail/i.test(req.ref)) {
        const lines = ['[sandbox] this ref is set up to fail', `[sandbox] error: ${req.ref} does not build`];
        lines.forEach((l) => ctx.log(l));
        throw new BuildFailedError(step, lines, 1);
      }
    }
    return { commit, durationMs: Date.now() - startedAt, sandbox: true };
  }
}

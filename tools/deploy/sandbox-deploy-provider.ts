import { SystemClock, type Clock } from '../../core/index.js';
import { abortableDelay, MemorySandboxStore, type ProviderRunContext, type SandboxStore } from '../build/index.js';
import { DeployCancelledError, HealthCheckFailedError, ReleaseNotFoundError, RollbackRefusedError } from './deploy-errors.js';
import type { DeployProvider, DeployRequest, DeployResult, DeployTargetRef, LiveRelease, RollbackRequest } from './deploy-provider.js';

interface SandboxRelease {
  releaseId: string;
  commit: string;
  deployId: string;
  createdAt: string;
  status: 'good' | 'bad';
  liveSince?: string;
}

interface SandboxEnvState {
  releases: SandboxRelease[];
  live?: string;
}

export interface SandboxDeployProviderOptions {
  store?: SandboxStore;
  clock?: Clock;
  stepDelayMs?: number;
}

/**
 * A pretend hosting platform with the local provider's rules (health check with switch back, bad
 * releases skipped by rollbacks), its state in a `SandboxStore`. Results carry `sandbox: true`.
 * `target.simulate: 'health_check_fails'` makes the next deploys fail their check, to try that path.
 */
export class SandboxDeployProvider implements DeployProvider {
  readonly name = 'sandbox' as const;
  private readonly store: SandboxStore;
  private readonly clock: Clock;
  private readonly delay: number;

  constructor(options: SandboxDeployProviderOptions = {}) {
    this.store = options.store ?? new MemorySandboxStore();
    this.clock = options.clock ?? new SystemClock();
    this.delay = options.stepDelayMs ?? 400;
  }

  async deploy(req: DeployRequest, ctx: ProviderRunContext): Promise<DeployResult> {
    const state = await this.load(req);
    const previous = state.live;
    const now = () => new Date(this.clock.now()).toISOString();
    const releaseId = `sbx-${now().replace(/[-:.]/g, '')}-${req.commit.slice(0, 7)}`;
    await this.pass('prepare release', ctx, previous);
    const release: SandboxRelease = { releaseId, commit: req.commit, deployId: req.deployId, createdAt: now(), status: 'good' };
    await this.pass('switch', ctx, previous);
    release.liveSince = now();
    state.releases.push(release);
    state.live = releaseId;
    await this.save(req, state);
    ctx.log(`[sandbox] ${releaseId} is live`);
    if (req.healthCheck || req.target.simulate === 'health_check_fails') {
      try {
        await this.pass('health check', ctx, previous);
      } catch (error) {
        await this.switchBack(req, state, release, previous, 'good');
        throw error;
      }
      if (req.target.simulate === 'health_check_fails') {
        const reason = 'the sandbox was told to fail this check';
        await this.switchBack(req, state, release, previous, 'bad');
        throw new HealthCheckFailedError(releaseId, reason, previous);
      }
    }
    return { releaseId, url: this.url(req), previous, sandbox: true };
  }

  async rollback(req: RollbackRequest, ctx: ProviderRunContext): Promise<DeployResult> {
    const state = await this.load(req);
    const live = state.live;
    await this.pass('choose release', ctx, live);
    let chosen: SandboxRelease | undefined;
    if (req.toRelease) {
      const wanted = req.toRelease;
      chosen = state.releases.find((r) => r.releaseId === wanted) ?? [...state.releases].reverse().find((r) => wanted.length >= 7 && r.commit.startsWith(wanted) && r.status === 'good');
      if (!chosen) throw new ReleaseNotFoundError(req.app, req.env, wanted);
      if (chosen.releaseId === live) throw new RollbackRefusedError(`${chosen.releaseId} is already live`);
      if (chosen.status === 'bad') throw new RollbackRefusedError(`${chosen.releaseId} failed its health check`);
    } else {
      const liveIndex = state.releases.findIndex((r) => r.releaseId === live);
      chosen = state.releases.slice(0, liveIndex === -1 ? state.releases.length : liveIndex).filter((r) => r.status === 'good').pop();
      if (!chosen) throw new RollbackRefusedError('there is no earlier release that passed its health check');
    }
    await this.pass('switch', ctx, live);
    chosen.liveSince = new Date(this.clock.now()).toISOString();
    state.live = chosen.releaseId;
    await this.save(req, state);
    return { releaseId: chosen.releaseId, url: this.url(req), previous: live, sandbox: true };
  }

  async current(req: DeployTargetRef): Promise<LiveRelease | undefined> {
    const state = await this.load(req);
    const live = state.releases.find((r) => r.releaseId === state.live);
    if (!live) return undefined;
    return { releaseId: live.releaseId, commit: live.commit, since: new Date(live.liveSince ?? live.createdAt), sandbox: true };
  }

  private async pass(step: string, ctx: ProviderRunContext, restored: string | undefined): Promise<void> {
    if (ctx.signal.aborted) throw new DeployCancelledError(step, restored);
    await ctx.step(step);
    await abortableDelay(this.delay, ctx.signal, () => new DeployCancelledError(step, restored));
  }

  private async switchBack(req: DeployTargetRef, state: SandboxEnvState, release: SandboxRelease, previous: string | undefined, status: 'good' | 'bad'): Promise<void> {
    // A cancelled check leaves the release usable later; a failed one is marked bad.
    release.status = status;
    state.live = previous;
    const back = state.releases.find((r) => r.releaseId === previous);
    if (back) back.liveSince = new Date(this.clock.now()).toISOString();
    await this.save(req, state);
  }

  private url(req: DeployTargetRef): string {
    return typeof req.target.url === 'string' ? req.target.url : `https://${req.app.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${req.env}.sandbox.invalid`;
  }

  private key(req: DeployTargetRef): string {
    return `deploy:${req.app}:${req.env}`;
  }

  private async load(req: DeployTargetRef): Promise<SandboxEnvState> {
    return (await this.store.get<SandboxEnvState>(this.key(req))) ?? { releases: [] };
  }

  private async save(req: DeployTargetRef, state: SandboxEnvState): Promise<void> {
    await this.store.set(this.key(req), state);
  }
}

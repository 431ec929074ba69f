import type { ProviderRunContext } from '../build/index.js';

export type { ProviderRunContext };

export type DeployEnv = 'production' | 'staging' | 'preview';

/** After the switch: a URL that must answer 2xx, or a command that must exit 0, within `timeoutMs`. */
export interface HealthCheck {
  url?: string;
  command?: string;
  timeoutMs?: number;
}

/** Which app, which environment, and the provider's settings for it (from the app catalog). */
export interface DeployTargetRef {
  app: string;
  env: DeployEnv;
  target: Record<string, unknown>;
}

export interface DeployRequest extends DeployTargetRef {
  deployId: string;
  /** The stored build output (local deploys). */
  artifactPath?: string;
  commit: string;
  healthCheck?: HealthCheck;
}

export interface RollbackRequest extends DeployTargetRef {
  /** A release id (or a commit sha for providers that accept one); absent: the previous good release. */
  toRelease?: string;
  healthCheck?: HealthCheck;
}

export interface DeployResult {
  releaseId: string;
  url?: string;
  /** What was live before this deploy or rollback. */
  previous?: string;
  /** Set by the sandbox provider: nothing real was deployed, and every reply says SANDBOX. */
  sandbox?: true;
}

export interface LiveRelease {
  releaseId: string;
  commit: string;
  /** When it became live (for a rollback target, when it became live again). */
  since: Date;
  sandbox?: true;
}

/**
 * The deploy port. Like the build port it does no queueing or locking: the jobs runtime holds the
 * one-deploy-per-app-and-environment lock around every call that changes what is live.
 */
export interface DeployProvider {
  readonly name: 'local' | 'vercel' | 'sandbox';
  deploy(req: DeployRequest, ctx: ProviderRunContext): Promise<DeployResult>;
  rollback(req: RollbackRequest, ctx: ProviderRunContext): Promise<DeployResult>;
  current(req: DeployTargetRef): Promise<LiveRelease | undefined>;
  /** Stops a remote deployment by its provider id (providers whose work runs elsewhere). */
  cancel?(id: string): Promise<void>;
  /**
   * Called for a deploy job found interrupted (restart, dead worker): puts back the last good release if
   * an unverified one was left live. Providers whose switch is done remotely in one call need none.
   */
  recover?(req: DeployTargetRef): Promise<{ discarded: string; restored?: string } | undefined>;
}

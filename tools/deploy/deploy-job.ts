import type { App, AppCatalog, DeployTarget, Environment } from '../apps/index.js';
import { runBuild, type BuildProviders } from '../build/index.js';
import type { JobContext, JobHandler } from '../jobs/index.js';
import type { DeployEnv, DeployProvider, DeployResult, DeployTargetRef, HealthCheck } from './deploy-provider.js';

/** The deploy providers by catalog name (createDeployProviders). */
export interface DeployProviders {
  get(name: DeployProvider['name']): DeployProvider;
}

export interface DeployJobParams {
  app: string;
  env: Environment;
  /** The build job whose output ships; absent: the job builds `ref` first. */
  buildId?: string;
  commit?: string;
  artifactPath?: string;
  /** What to build first when there is no build to ship. */
  ref?: string;
  sandbox?: boolean;
}

export interface DeployJobResult extends DeployResult {
  app: string;
  env: Environment;
  commit: string;
  buildId: string;
  /** The build output this job made itself (no build to ship was given): later deploys may ship it. */
  artifactPath?: string;
}

export interface RollbackJobParams {
  app: string;
  env: Environment;
  /** A release id or commit; absent: the previous good release. */
  toRelease?: string;
  sandbox?: boolean;
}

export interface RollbackJobResult extends DeployResult {
  app: string;
  env: Environment;
  /** The commit live after the rollback. */
  commit?: string;
}

/** The catalog's health check, in the provider's terms. */
export function healthCheckOf(target: DeployTarget): HealthCheck | undefined {
  const check = target.healthCheck;
  if (!check) return undefined;
  return {
    ...('url' in check ? { url: check.url } : { command: check.command }),
    ...(check.timeoutSeconds ? { timeoutMs: check.timeoutSeconds * 1000 } : {}),
  };
}

/**
 * Where an app's environment goes live, as the provider port wants it. Vercel builds from the app's
 * repository itself, so its target also carries the repository and the branch (the catalog keeps those
 * on the app, not on each environment).
 */
export function targetRef(app: App, env: Environment, ref?: string): DeployTargetRef & { provider: DeployProvider['name'] } {
  const target = app.environments[env];
  const settings: Record<string, unknown> =
    target.provider === 'vercel' ? { ...target, ...(app.repository ? { repository: app.repository } : {}), ref: ref ?? app.branch } : { ...target };
  return { app: app.name, env: env as DeployEnv, target: settings, provider: target.provider };
}

interface Deps {
  catalog: AppCatalog;
  builds: BuildProviders;
  deploys: DeployProviders;
  env?: NodeJS.ProcessEnv;
  /** Where the service serves a `local` target's live release (serve-local-sites.ts); the reported URL when the target names none. */
  siteUrl?: (app: string, env: Environment) => string;
}

/** The URL to report for a deploy or rollback: the provider's, else the service's own page of a local target. */
function reportedUrl(deps: Deps, app: App, env: Environment, url: string | undefined): { url?: string } {
  const served = app.environments[env].provider === 'local' ? deps.siteUrl?.(app.name, env) : undefined;
  const chosen = url ?? served;
  return chosen ? { url: chosen } : {};
}

/**
 * The `deploy` job: ships a stored build (or builds first, in the same job and under the same
 * `deploy:<app>:<env>` lock) with the environment's deploy provider. The provider does the switch and
 * the health check; this handler only chooses what to pass it.
 */
export function deployJobHandler(deps: Deps): JobHandler<DeployJobParams, DeployJobResult> {
  return {
    kind: 'deploy',
    async run(params, ctx: JobContext) {
      const app = deps.catalog.require(params.app);
      let { buildId, commit, artifactPath } = params;
      if (!buildId || !commit) {
        const built = await runBuild(deps, app, params.ref ?? app.branch, ctx);
        buildId = ctx.jobId;
        commit = built.commit;
        artifactPath = built.artifactPath;
      }
      const ref = targetRef(app, params.env, params.ref);
      const provider = deps.deploys.get(ref.provider);
      const healthCheck = healthCheckOf(app.environments[params.env]);
      const result = await provider.deploy(
        { app: ref.app, env: ref.env, target: ref.target, deployId: ctx.jobId, commit, ...(artifactPath ? { artifactPath } : {}), ...(healthCheck ? { healthCheck } : {}) },
        ctx,
      );
      const builtHere = buildId === ctx.jobId;
      return { ...result, ...reportedUrl(deps, app, params.env, result.url), app: app.name, env: params.env, commit, buildId, ...(builtHere && artifactPath ? { artifactPath } : {}) };
    },
  };
}

/** The `rollback` job: back to the previous good release, or a named one. */
export function rollbackJobHandler(deps: Deps): JobHandler<RollbackJobParams, RollbackJobResult> {
  return {
    kind: 'rollback',
    async run(params, ctx) {
      const app = deps.catalog.require(params.app);
      const ref = targetRef(app, params.env);
      const provider = deps.deploys.get(ref.provider);
      const healthCheck = healthCheckOf(app.environments[params.env]);
      const result = await provider.rollback(
        { app: ref.app, env: ref.env, target: ref.target, ...(params.toRelease ? { toRelease: params.toRelease } : {}), ...(healthCheck ? { healthCheck } : {}) },
        ctx,
      );
      const live = await provider.current({ app: ref.app, env: ref.env, target: ref.target }).catch(() => undefined);
      return { ...result, ...reportedUrl(deps, app, params.env, result.url), app: app.name, env: params.env, ...(live ? { commit: live.commit } : {}) };
    },
  };
}

/**
 * After a restart or a dead worker: a deploy or rollback job found interrupted may have left an
 * unverified release live; the provider puts back the last good one (local: `recover()`).
 */
export async function recoverInterrupted(
  deps: { catalog: AppCatalog; deploys: DeployProviders },
  params: { app?: string; env?: string },
): Promise<{ discarded: string; restored?: string } | undefined> {
  if (!params.app || !params.env) return undefined;
  const app = deps.catalog.get(params.app);
  if (!app || !(params.env in app.environments)) return undefined;
  const ref = targetRef(app, params.env as Environment);
  const provider = deps.deploys.get(ref.provider);
  return provider.recover?.({ app: ref.app, env: ref.env, target: ref.target });
}

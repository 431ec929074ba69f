import type { App, AppCatalog } from '../apps/index.js';
import type { JobContext, JobHandler } from '../jobs/index.js';
import type { BuildProvider, BuildResult } from './build-provider.js';

/** The build providers by catalog name (createBuildProviders). */
export interface BuildProviders {
  get(name: BuildProvider['name']): BuildProvider;
}

export interface BuildJobParams {
  app: string;
  ref: string;
  sandbox?: boolean;
}

export interface BuildJobResult extends BuildResult {
  app: string;
  ref: string;
}

/** Limit on a build's combined output: enough for a noisy npm install, small enough for the job's log. */
const MAX_OUTPUT_BYTES = 5_000_000;

/**
 * Runs one build of a catalog app with its provider. Shared by the `build` job and a deploy that has no
 * successful build to ship yet (it builds first, in the same job, under the same lock).
 */
export async function runBuild(
  deps: { catalog: AppCatalog; builds: BuildProviders; env?: NodeJS.ProcessEnv },
  app: App,
  ref: string,
  ctx: JobContext,
): Promise<BuildJobResult> {
  const provider = deps.builds.get(app.build.provider);
  const source = deps.env ?? process.env;
  // Only the variables the catalog declares for this app reach its commands.
  const env = Object.fromEntries(app.variables.flatMap((name) => (source[name] === undefined ? [] : [[name, source[name]!]])));
  const result = await provider.build(
    {
      buildId: ctx.jobId,
      app: app.name,
      repository: app.repository ?? `sandbox://${app.name}`,
      ref,
      commands: app.build.commands,
      outputDir: app.build.output ?? '.',
      env,
      timeoutMs: app.build.timeoutSeconds * 1000,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      ...(app.build.workflow ? { settings: { workflow: app.build.workflow } } : {}),
    },
    ctx,
  );
  return { ...result, app: app.name, ref };
}

/**
 * The `build` job: the app is read from the catalog when the job runs (a worker on another machine has
 * the same catalog), so the job's params are only what the person chose.
 */
export function buildJobHandler(deps: { catalog: AppCatalog; builds: BuildProviders; env?: NodeJS.ProcessEnv }): JobHandler<BuildJobParams, BuildJobResult> {
  return {
    kind: 'build',
    run: (params, ctx) => runBuild(deps, deps.catalog.require(params.app), params.ref, ctx),
  };
}

import path from 'node:path';
import type { BuildProvider } from './build-provider.js';
import { GitHubActionsBuildProvider } from './github-actions-build-provider.js';
import { LocalBuildProvider } from './local-build-provider.js';
import { ProviderNotConfiguredError } from './provider-errors.js';
import { SandboxBuildProvider } from './sandbox-build-provider.js';

export interface BuildProvidersOptions {
  /** DATA_DIR: checkouts go to `builds/work`, artifacts and logs to `builds/artifacts`. */
  dataDir: string;
  /** GITHUB_TOKEN and GITHUB_API_URL; without a token, github-actions builds are refused with a clear sentence. */
  github?: { token?: string; apiUrl?: string };
  sandboxStepDelayMs?: number;
}

/**
 * The build providers by the names the app catalog uses, made once in the composition root.
 *
 * @example
 * const builds = createBuildProviders({ dataDir: settings.DATA_DIR, github: { token: settings.GITHUB_TOKEN, apiUrl: settings.GITHUB_API_URL } });
 * const result = await builds.get(app.build.provider).build(request, ctx);
 */
export function createBuildProviders(options: BuildProvidersOptions): { get(name: BuildProvider['name']): BuildProvider; artifactsDir: string } {
  const artifactsDir = path.join(options.dataDir, 'builds', 'artifacts');
  const local = new LocalBuildProvider({ workDir: path.join(options.dataDir, 'builds', 'work'), artifactsDir });
  const sandbox = new SandboxBuildProvider({ stepDelayMs: options.sandboxStepDelayMs });
  const github = options.github?.token
    ? new GitHubActionsBuildProvider({ token: options.github.token, baseUrl: options.github.apiUrl })
    : undefined;
  return {
    artifactsDir,
    get(name) {
      switch (name) {
        case 'local':
          return local;
        case 'sandbox':
          return sandbox;
        case 'github-actions':
          if (!github) throw new ProviderNotConfiguredError('GitHub Actions', 'GITHUB_TOKEN');
          return github;
      }
    },
  };
}

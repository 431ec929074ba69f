export type { BuildProvider, BuildRequest, BuildResult, ProviderRunContext } from './build-provider.js';
export { createBuildProviders, type BuildProvidersOptions } from './create-build-providers.js';
export { LocalBuildProvider, hideCredentials, type LocalBuildProviderOptions } from './local-build-provider.js';
export {
  GitHubActionsBuildProvider,
  parseGitHubRepository,
  toProviderError as toGitHubProviderError,
  type GitHubActionsBuildProviderOptions,
} from './github-actions-build-provider.js';
export { SandboxBuildProvider, type SandboxBuildProviderOptions } from './sandbox-build-provider.js';
export { MemorySandboxStore, JsonFileSandboxStore, abortableDelay, type SandboxStore } from './sandbox-store.js';
export {
  BuildFailedError,
  BuildTimeoutError,
  BuildCancelledError,
  OutputTooLargeError,
  CheckoutFailedError,
  ArtifactMissingError,
  formatMs,
} from './build-errors.js';
export {
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
  ProviderNotConfiguredError,
} from './provider-errors.js';
export { runCommand, minimalEnv, type CommandOutcome, type RunCommandOptions } from './run-command.js';
export { buildJobHandler, runBuild, type BuildProviders, type BuildJobParams, type BuildJobResult } from './build-job.js';
export { startBuildAction, StartBuildParamsSchema, type StartBuildParams } from './start-build.js';
export { buildStatusAction, buildLine, BuildStatusParamsSchema, type BuildStatusParams } from './build-status.js';
export { cancelRunAction, CancelRunParamsSchema, NOTHING_TO_CANCEL, type CancelRunParams } from './cancel-run.js';
export { runId, shortCommit, duration, when, SANDBOX, sandboxLabel, resolveApp, describeHolder, jobApp } from './run-words.js';
